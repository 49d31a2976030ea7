CREATE TABLE "calls" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"unique_id" text NOT NULL,
	"channel_name" text NOT NULL,
	"direction" text NOT NULL,
	"caller_number" text DEFAULT '' NOT NULL,
	"caller_name" text DEFAULT '' NOT NULL,
	"did" text DEFAULT '' NOT NULL,
	"route_id" bigint,
	"project_id" text,
	"project_version" integer,
	"started_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"outcome" text,
	"reason" text,
	"steps" integer DEFAULT 0 NOT NULL,
	"trace" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trunks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "trunks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"endpoint" text NOT NULL,
	"caller_id" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_routes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "voice_routes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"pattern" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"project_id" text,
	"trunk_id" bigint,
	"strip_digits" integer DEFAULT 0 NOT NULL,
	"prepend" text DEFAULT '' NOT NULL,
	"caller_id" text,
	"schedule" jsonb,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voice_routes_kind_check" CHECK ("voice_routes"."kind" in ('inbound','internal','outbound'))
);
--> statement-breakpoint
ALTER TABLE "voice_routes" ADD CONSTRAINT "voice_routes_project_id_ivr_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."ivr_projects"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_routes" ADD CONSTRAINT "voice_routes_trunk_id_trunks_id_fk" FOREIGN KEY ("trunk_id") REFERENCES "public"."trunks"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calls_started_idx" ON "calls" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "calls_unique_id_idx" ON "calls" USING btree ("unique_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trunks_name_key" ON "trunks" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "voice_routes_kind_name_key" ON "voice_routes" USING btree ("kind",lower("name"));--> statement-breakpoint
CREATE INDEX "voice_routes_kind_position_idx" ON "voice_routes" USING btree ("kind","position");