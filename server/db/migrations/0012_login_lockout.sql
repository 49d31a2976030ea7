CREATE TABLE "login_failures" (
	"name" text NOT NULL,
	"source" text NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_failed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_at" timestamp with time zone,
	CONSTRAINT "login_failures_name_source_pk" PRIMARY KEY("name","source")
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"bucket" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "login_failures_last_failed_idx" ON "login_failures" USING btree ("last_failed_at");--> statement-breakpoint
-- Credentials of an account end for good when it is disabled or locked, and when its password
-- changes: sessions are deleted (not hidden, so re-enabling or unlocking brings none back), API
-- keys revoked, outstanding reset links deleted. In the database, so that every path (API, the
-- admin command, a hand edit) does it.
CREATE FUNCTION "tandem_users_end_credentials"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.disabled AND NOT OLD.disabled) OR (NEW.locked AND NOT OLD.locked) THEN
    DELETE FROM "sessions" WHERE "user_id" = NEW.id;
    UPDATE "api_keys" SET "revoked_at" = now() WHERE "user_id" = NEW.id AND "revoked_at" IS NULL;
    DELETE FROM "password_resets" WHERE "user_id" = NEW.id AND "used_at" IS NULL;
  END IF;
  IF NEW.password_hash IS DISTINCT FROM OLD.password_hash THEN
    DELETE FROM "sessions" WHERE "user_id" = NEW.id;
    DELETE FROM "password_resets" WHERE "user_id" = NEW.id AND "used_at" IS NULL;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "users_end_credentials" AFTER UPDATE OF "disabled", "locked", "password_hash" ON "users" FOR EACH ROW EXECUTE FUNCTION "tandem_users_end_credentials"();
--> statement-breakpoint
-- Sessions ended before this release were only marked revoked: remove them.
DELETE FROM "sessions" WHERE "revoked_at" IS NOT NULL;
