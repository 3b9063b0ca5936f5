CREATE TABLE "finqware_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"onboarding_id" uuid NOT NULL,
	"credentials_id_sealed" text NOT NULL,
	"access_token_sealed" text NOT NULL,
	"consent_expires_at" timestamp with time zone NOT NULL,
	"max_data_retention" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "finqware_credentials_onboarding_id_unique" UNIQUE("onboarding_id")
);
--> statement-breakpoint
CREATE TABLE "onboarding_steps" (
	"onboarding_id" uuid NOT NULL,
	"step_index" integer NOT NULL,
	"step_id" text,
	"answers_sealed" text NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "onboarding_steps_onboarding_id_step_index_pk" PRIMARY KEY("onboarding_id","step_index")
);
--> statement-breakpoint
CREATE TABLE "onboardings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"skill_id" text NOT NULL,
	"skill_name" text NOT NULL,
	"steps" jsonb NOT NULL,
	"finqware_session_id" text,
	"status" text DEFAULT 'in_progress' NOT NULL,
	"current_step" integer DEFAULT 0 NOT NULL,
	"awaiting_upload" boolean DEFAULT false NOT NULL,
	"current_step_id" text,
	"nonce_sealed" text,
	"nonce_issued_at" timestamp with time zone,
	"submitting_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "finqware_credentials" ADD CONSTRAINT "finqware_credentials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finqware_credentials" ADD CONSTRAINT "finqware_credentials_onboarding_id_onboardings_id_fk" FOREIGN KEY ("onboarding_id") REFERENCES "public"."onboardings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_steps" ADD CONSTRAINT "onboarding_steps_onboarding_id_onboardings_id_fk" FOREIGN KEY ("onboarding_id") REFERENCES "public"."onboardings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboardings" ADD CONSTRAINT "onboardings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "onboardings_user_id_idx" ON "onboardings" USING btree ("user_id","created_at");