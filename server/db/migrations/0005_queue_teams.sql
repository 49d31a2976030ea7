CREATE TABLE "queue_teams" (
	"queue_id" bigint NOT NULL,
	"team_id" bigint NOT NULL,
	"penalty" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "queue_teams_queue_id_team_id_pk" PRIMARY KEY("queue_id","team_id")
);
--> statement-breakpoint
ALTER TABLE "queue_teams" ADD CONSTRAINT "queue_teams_queue_id_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."queues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_teams" ADD CONSTRAINT "queue_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "queue_teams_team_idx" ON "queue_teams" USING btree ("team_id");