CREATE TABLE "sounds" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sounds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"language" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"source_format" text NOT NULL,
	"source_bytes" integer NOT NULL,
	"duration_ms" integer NOT NULL,
	"wav_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_by" bigint,
	"updated_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sounds_name_check" CHECK ("sounds"."name" ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
	CONSTRAINT "sounds_language_check" CHECK ("sounds"."language" ~ '^[a-z]{2,3}(_[A-Z]{2})?$'),
	CONSTRAINT "sounds_source_format_check" CHECK ("sounds"."source_format" in ('wav','mp3'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "sounds_name_language_key" ON "sounds" USING btree ("name","language");