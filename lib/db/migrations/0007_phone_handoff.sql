CREATE TABLE "phone_handoffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"onboarding_id" uuid NOT NULL,
	"step_index" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "phone_handoffs_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD COLUMN "handoff_id" uuid;--> statement-breakpoint
ALTER TABLE "phone_handoffs" ADD CONSTRAINT "phone_handoffs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_handoffs" ADD CONSTRAINT "phone_handoffs_onboarding_id_onboardings_id_fk" FOREIGN KEY ("onboarding_id") REFERENCES "public"."onboardings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "phone_handoffs_step_idx" ON "phone_handoffs" USING btree ("onboarding_id","step_index");--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_handoff_id_phone_handoffs_id_fk" FOREIGN KEY ("handoff_id") REFERENCES "public"."phone_handoffs"("id") ON DELETE cascade ON UPDATE no action;