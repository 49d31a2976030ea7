ALTER TABLE "calls" ADD COLUMN "disposition" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "disposition_note" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "disposed_by" bigint;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "disposed_at" timestamp with time zone;