-- Records: guideline versions, use cases, shared models. Each row keeps the validated record
-- as jsonb (the source of truth) plus columns extracted from it for filters and full-text
-- search. Our own records and copies received from other cities share the tables; the
-- provenance columns tell them apart.

CREATE TABLE guideline_documents (
  id text PRIMARY KEY,
  kind text NOT NULL,
  source text NOT NULL CHECK (source IN ('local', 'received')),
  origin_actor text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE guideline_versions (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  document_id text NOT NULL REFERENCES guideline_documents (id) ON DELETE CASCADE,
  version text NOT NULL,
  state text NOT NULL CHECK (state IN ('draft', 'published')),
  kind text NOT NULL,
  licence text NOT NULL,
  published_at timestamptz,
  supersedes text,
  forked_from text,
  source text NOT NULL CHECK (source IN ('local', 'received')),
  origin_actor text NOT NULL,
  origin_host text NOT NULL,
  received_at timestamptz,
  proof_verified boolean,
  record jsonb NOT NULL,
  search tsvector NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (document_id, version)
);
CREATE INDEX guideline_versions_document ON guideline_versions (document_id, published_at);
CREATE INDEX guideline_versions_origin ON guideline_versions (origin_actor);
CREATE INDEX guideline_versions_forked_from ON guideline_versions (forked_from);
CREATE INDEX guideline_versions_search ON guideline_versions USING gin (search);

CREATE TABLE use_cases (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  workflow_state text NOT NULL,
  status text NOT NULL,
  risk_class text,
  automation_level text NOT NULL,
  directly_affects_citizens boolean NOT NULL,
  department text NOT NULL,
  model_ids text[] NOT NULL DEFAULT '{}',
  adopted_from text,
  source text NOT NULL CHECK (source IN ('local', 'received')),
  origin_actor text NOT NULL,
  origin_host text NOT NULL,
  received_at timestamptz,
  proof_verified boolean,
  record jsonb NOT NULL,
  search tsvector NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX use_cases_workflow_state ON use_cases (workflow_state);
CREATE INDEX use_cases_risk_class ON use_cases (risk_class);
CREATE INDEX use_cases_automation ON use_cases (automation_level, directly_affects_citizens);
CREATE INDEX use_cases_department ON use_cases (department);
CREATE INDEX use_cases_models ON use_cases USING gin (model_ids);
CREATE INDEX use_cases_adopted_from ON use_cases (adopted_from);
CREATE INDEX use_cases_origin ON use_cases (origin_actor);
CREATE INDEX use_cases_search ON use_cases USING gin (search);

CREATE TABLE shared_models (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  version text NOT NULL,
  licence text NOT NULL,
  hosting text NOT NULL,
  open_weights boolean NOT NULL,
  source text NOT NULL CHECK (source IN ('local', 'received')),
  origin_actor text NOT NULL,
  origin_host text NOT NULL,
  received_at timestamptz,
  proof_verified boolean,
  record jsonb NOT NULL,
  search tsvector NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shared_models_origin ON shared_models (origin_actor);
CREATE INDEX shared_models_hosting ON shared_models (hosting);
CREATE INDEX shared_models_search ON shared_models USING gin (search);
