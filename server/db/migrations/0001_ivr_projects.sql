CREATE TABLE "ivr_project_versions" (
	"project_id" text NOT NULL,
	"version" integer NOT NULL,
	"hash" text NOT NULL,
	"project" jsonb NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"published_by" bigint,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ivr_project_versions_project_id_version_pk" PRIMARY KEY("project_id","version")
);
--> statement-breakpoint
CREATE TABLE "ivr_projects" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"channel" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"draft" jsonb NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"published_version" integer,
	"created_by" bigint,
	"updated_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ivr_project_versions" ADD CONSTRAINT "ivr_project_versions_project_id_ivr_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."ivr_projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ivr_projects_channel_name_key" ON "ivr_projects" USING btree ("channel",lower("name"));--> statement-breakpoint
-- A published version is what calls ran: it is never changed, and removed only with its project.
CREATE FUNCTION ivr_project_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'published IVR project versions are immutable (project %, version %)', OLD.project_id, OLD.version
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM ivr_projects WHERE id = OLD.project_id) THEN
    RAISE EXCEPTION 'published IVR project versions are removed only with their project (project %, version %)', OLD.project_id, OLD.version
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ivr_project_versions_immutable BEFORE UPDATE OR DELETE ON ivr_project_versions
  FOR EACH ROW EXECUTE FUNCTION ivr_project_versions_immutable();
