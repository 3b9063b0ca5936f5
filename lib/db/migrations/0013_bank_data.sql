CREATE TABLE "bank_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"credentials_row_id" uuid NOT NULL,
	"finqware_account_id" text NOT NULL,
	"servicer_name" text NOT NULL,
	"name" text NOT NULL,
	"iban_masked" text,
	"account_type" text NOT NULL,
	"currency" text NOT NULL,
	"balances" jsonb NOT NULL,
	"read_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bank_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"account_row_id" uuid NOT NULL,
	"utx_id" text NOT NULL,
	"stored_at" timestamp with time zone NOT NULL,
	"booked_at" timestamp with time zone NOT NULL,
	"amount" numeric NOT NULL,
	"currency" text NOT NULL,
	"label" text NOT NULL,
	"search_text" text NOT NULL,
	"status" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "finqware_credentials" ADD COLUMN "synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finqware_credentials" ADD COLUMN "sync_cursor" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finqware_credentials" ADD COLUMN "sync_attempted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finqware_credentials" ADD COLUMN "syncing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "finqware_credentials" ADD COLUMN "sync_error" text;--> statement-breakpoint
ALTER TABLE "finqware_credentials" ADD COLUMN "sync_error_ref" text;--> statement-breakpoint
ALTER TABLE "bank_accounts" ADD CONSTRAINT "bank_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_accounts" ADD CONSTRAINT "bank_accounts_credentials_row_id_finqware_credentials_id_fk" FOREIGN KEY ("credentials_row_id") REFERENCES "public"."finqware_credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_transactions" ADD CONSTRAINT "bank_transactions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_transactions" ADD CONSTRAINT "bank_transactions_account_row_id_bank_accounts_id_fk" FOREIGN KEY ("account_row_id") REFERENCES "public"."bank_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bank_accounts_user_account_idx" ON "bank_accounts" USING btree ("user_id","finqware_account_id");--> statement-breakpoint
CREATE INDEX "bank_accounts_credentials_idx" ON "bank_accounts" USING btree ("credentials_row_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bank_transactions_user_utx_idx" ON "bank_transactions" USING btree ("user_id","utx_id");--> statement-breakpoint
CREATE INDEX "bank_transactions_account_booked_idx" ON "bank_transactions" USING btree ("account_row_id","booked_at" DESC NULLS LAST,"id" DESC NULLS LAST);