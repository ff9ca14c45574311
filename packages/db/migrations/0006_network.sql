-- The network across cities: adoption records (published and signed by the adopting city),
-- and the use-case figures network statistics add up, as columns generated from the record so
-- that statistics over hundreds of thousands of use cases never read the jsonb.

CREATE TABLE adoptions (
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id text PRIMARY KEY,
  adopter text NOT NULL,
  adopting_use_case text NOT NULL,
  origin_use_case text NOT NULL,
  origin_use_case_actor text NOT NULL,
  published_at timestamptz NOT NULL,
  source text NOT NULL CHECK (source IN ('local', 'received')),
  origin_actor text NOT NULL,
  origin_host text NOT NULL,
  received_at timestamptz,
  proof_verified boolean,
  record jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX adoptions_origin_use_case ON adoptions (origin_use_case, published_at);
CREATE INDEX adoptions_adopter ON adoptions (adopter, published_at);
CREATE INDEX adoptions_origin ON adoptions (origin_actor);

-- jsonb numbers are numeric: the exact literal the record was written with, summed exactly.
ALTER TABLE use_cases
  ADD COLUMN energy_stated boolean GENERATED ALWAYS AS (record -> 'energy' IS NOT NULL) STORED,
  ADD COLUMN kwh_per_year numeric GENERATED ALWAYS AS ((record -> 'energy' -> 'kwhPerYear')::numeric) STORED,
  ADD COLUMN energy_compensated boolean GENERATED ALWAYS AS (record -> 'energy' -> 'compensation' IS NOT NULL) STORED,
  ADD COLUMN sovereignty_hosting text GENERATED ALWAYS AS (record -> 'sovereignty' ->> 'hosting') STORED,
  ADD COLUMN sovereignty_open_weights boolean GENERATED ALWAYS AS ((record -> 'sovereignty' -> 'openWeights')::boolean) STORED,
  ADD COLUMN sovereignty_jurisdiction text GENERATED ALWAYS AS (record -> 'sovereignty' ->> 'jurisdiction') STORED;

CREATE INDEX use_cases_origin_published ON use_cases (origin_actor) WHERE workflow_state = 'published';
