CREATE TABLE "dispositions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dispositions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"parent_id" bigint,
	"level" integer DEFAULT 1 NOT NULL,
	"scope" text NOT NULL,
	"queue_id" bigint,
	"website_id" bigint,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dispositions_level_check" CHECK ("dispositions"."level" between 1 and 3 and ("dispositions"."level" = 1) = ("dispositions"."parent_id" is null)),
	CONSTRAINT "dispositions_scope_check" CHECK (("dispositions"."scope" = 'global' and "dispositions"."queue_id" is null and "dispositions"."website_id" is null)
       or ("dispositions"."scope" = 'queue' and "dispositions"."queue_id" is not null and "dispositions"."website_id" is null)
       or ("dispositions"."scope" = 'website' and "dispositions"."website_id" is not null and "dispositions"."queue_id" is null))
);
--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "disposition_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dispositions" ADD CONSTRAINT "dispositions_parent_id_dispositions_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."dispositions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispositions" ADD CONSTRAINT "dispositions_queue_id_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispositions" ADD CONSTRAINT "dispositions_website_id_chat_websites_id_fk" FOREIGN KEY ("website_id") REFERENCES "public"."chat_websites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dispositions_root_name_key" ON "dispositions" USING btree ("scope",coalesce("queue_id", 0),coalesce("website_id", 0),lower("name")) WHERE "dispositions"."parent_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "dispositions_child_name_key" ON "dispositions" USING btree ("parent_id",lower("name")) WHERE "dispositions"."parent_id" is not null;--> statement-breakpoint
CREATE INDEX "dispositions_queue_idx" ON "dispositions" USING btree ("queue_id");--> statement-breakpoint
CREATE INDEX "dispositions_website_idx" ON "dispositions" USING btree ("website_id");--> statement-breakpoint
-- The chat websites' own lists become first-level dispositions of their website (in their order, a
-- name repeated in another case kept once); the catalogue is then the only place they live.
INSERT INTO "dispositions" ("name", "level", "scope", "website_id", "position")
SELECT "name", 1, 'website', "website_id", (row_number() OVER (PARTITION BY "website_id" ORDER BY "ord")) - 1
FROM (
  SELECT DISTINCT ON (w."id", lower(btrim(d."value"))) w."id" AS "website_id", btrim(d."value") AS "name", d."ord"
  FROM "chat_websites" w
  CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(w."settings"->'dispositions') = 'array' THEN w."settings"->'dispositions' ELSE '[]'::jsonb END) WITH ORDINALITY AS d("value", "ord")
  WHERE btrim(d."value") <> ''
  ORDER BY w."id", lower(btrim(d."value")), d."ord"
) AS listed;--> statement-breakpoint
UPDATE "chat_websites" SET "settings" = "settings" - 'dispositions' WHERE ("settings"->'dispositions') IS NOT NULL;
