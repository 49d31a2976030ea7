CREATE TABLE "spy_mode_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "spy_mode_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"session_id" bigint NOT NULL,
	"mode" text NOT NULL,
	"via" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spy_mode_changes_mode_check" CHECK ("spy_mode_changes"."mode" in ('listen','whisper','barge'))
);
--> statement-breakpoint
CREATE TABLE "spy_sessions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "spy_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"supervisor_id" bigint NOT NULL,
	"agent_id" bigint NOT NULL,
	"entry_id" bigint,
	"agent_channel" text,
	"origin" text NOT NULL,
	"supervisor_target" text NOT NULL,
	"status" text DEFAULT 'calling' NOT NULL,
	"mode" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	CONSTRAINT "spy_sessions_origin_check" CHECK ("spy_sessions"."origin" in ('board','feature-code')),
	CONSTRAINT "spy_sessions_status_check" CHECK ("spy_sessions"."status" in ('calling','active','ended','failed')),
	CONSTRAINT "spy_sessions_mode_check" CHECK ("spy_sessions"."mode" in ('listen','whisper','barge'))
);
--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "service_level_sec" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone" jsonb;--> statement-breakpoint
ALTER TABLE "spy_mode_changes" ADD CONSTRAINT "spy_mode_changes_session_id_spy_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."spy_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spy_sessions" ADD CONSTRAINT "spy_sessions_supervisor_id_users_id_fk" FOREIGN KEY ("supervisor_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spy_sessions" ADD CONSTRAINT "spy_sessions_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "spy_mode_changes_session_idx" ON "spy_mode_changes" USING btree ("session_id","id");--> statement-breakpoint
CREATE INDEX "spy_sessions_agent_idx" ON "spy_sessions" USING btree ("agent_id","started_at");--> statement-breakpoint
CREATE INDEX "spy_sessions_supervisor_idx" ON "spy_sessions" USING btree ("supervisor_id","started_at");