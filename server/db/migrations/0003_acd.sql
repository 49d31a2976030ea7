CREATE TABLE "agent_channel_states" (
	"user_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"pause_reason" text,
	"paused_at" timestamp with time zone,
	"wrapup_until" timestamp with time zone,
	"last_ended_at" timestamp with time zone,
	CONSTRAINT "agent_channel_states_user_id_channel_pk" PRIMARY KEY("user_id","channel")
);
--> statement-breakpoint
CREATE TABLE "agent_sessions" (
	"user_id" bigint PRIMARY KEY NOT NULL,
	"device" text NOT NULL,
	"dial_target" text,
	"hotdesk_phone" text,
	"logged_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_state_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "agent_state_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"channel" text,
	"state" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "offers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entry_id" bigint NOT NULL,
	"agent_id" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"auto_answer" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pause_reasons" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pause_reasons_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "queue_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"queue_id" bigint NOT NULL,
	"channel" text NOT NULL,
	"interaction_ref" text NOT NULL,
	"caller" text DEFAULT '' NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deadline_at" timestamp with time zone,
	"status" text DEFAULT 'waiting' NOT NULL,
	"agent_id" bigint,
	"next_try_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_reports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "queue_reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"channel" text NOT NULL,
	"queue_id" bigint NOT NULL,
	"entry_id" bigint NOT NULL,
	"interaction_ref" text NOT NULL,
	"reason" text NOT NULL,
	"user_id" bigint,
	"enqueued_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"wait_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_decisions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "routing_decisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entry_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"strategy" text NOT NULL,
	"considered" jsonb NOT NULL,
	"offered_to" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "phone_pin_hash" text;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "strategy" text DEFAULT 'rrmemory' NOT NULL;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "timeout_sec" integer DEFAULT 300 NOT NULL;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "ring_timeout_sec" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "retry_sec" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "wrapup_sec" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "max_waiting" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "join_empty" text DEFAULT 'yes' NOT NULL;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "leave_when_empty" text DEFAULT 'no' NOT NULL;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "moh_class" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "announcement" text;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "announce_position" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "announce_frequency_sec" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "queues" ADD COLUMN "rr_last_agent_id" bigint;--> statement-breakpoint
ALTER TABLE "agent_channel_states" ADD CONSTRAINT "agent_channel_states_user_id_agents_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."agents"("user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_sessions" ADD CONSTRAINT "agent_sessions_user_id_agents_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."agents"("user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_entry_id_queue_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."queue_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_entries" ADD CONSTRAINT "queue_entries_queue_id_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_decisions" ADD CONSTRAINT "routing_decisions_entry_id_queue_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."queue_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_state_history_user_at_idx" ON "agent_state_history" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "agent_state_history_at_idx" ON "agent_state_history" USING btree ("at");--> statement-breakpoint
CREATE INDEX "offers_entry_idx" ON "offers" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "offers_agent_pending_idx" ON "offers" USING btree ("agent_id") WHERE "offers"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "pause_reasons_name_key" ON "pause_reasons" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "queue_entries_waiting_idx" ON "queue_entries" USING btree ("queue_id","priority","enqueued_at") WHERE "queue_entries"."status" in ('waiting','offered');--> statement-breakpoint
CREATE INDEX "queue_entries_ref_idx" ON "queue_entries" USING btree ("interaction_ref");--> statement-breakpoint
CREATE INDEX "queue_reports_channel_ended_idx" ON "queue_reports" USING btree ("channel","ended_at");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_reports_entry_key" ON "queue_reports" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "routing_decisions_entry_idx" ON "routing_decisions" USING btree ("entry_id");--> statement-breakpoint
ALTER TABLE "queues" ADD CONSTRAINT "queues_strategy_check" CHECK ("queues"."strategy" in ('ringall','beepall','leastrecent','fewestcalls','random','rrmemory','linear','wrandom'));--> statement-breakpoint
CREATE VIEW report_voice_queue AS SELECT * FROM queue_reports WHERE channel = 'voice';
--> statement-breakpoint
CREATE VIEW report_chat_queue AS SELECT * FROM queue_reports WHERE channel = 'chat';
--> statement-breakpoint
CREATE VIEW report_sms_queue AS SELECT * FROM queue_reports WHERE channel = 'sms';
--> statement-breakpoint
CREATE VIEW report_email_queue AS SELECT * FROM queue_reports WHERE channel = 'email';
--> statement-breakpoint
CREATE VIEW report_openchannel_queue AS SELECT * FROM queue_reports WHERE channel = 'openchannel';
--> statement-breakpoint
CREATE VIEW report_fax_queue AS SELECT * FROM queue_reports WHERE channel = 'fax';
--> statement-breakpoint
CREATE VIEW report_whatsapp_queue AS SELECT * FROM queue_reports WHERE channel = 'whatsapp';
