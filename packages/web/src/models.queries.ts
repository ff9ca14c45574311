// The GraphQL operations of the shared-model pages (editors) and the shapes they select.
import type { Text } from "./register.queries.ts";
import { mutation, validationErrorFields } from "./staff.queries.ts";

export interface StaffModelEntry {
  id: string;
  state: string;
  name: Text;
  version: string;
  licenceId: string;
  sovereignty: { hosting: string; openWeights: boolean };
  usedBy: { totalCount: number };
}

export const staffModelsQuery = `query StaffModels($lang: String!) {
  models(filter: { local: true }, first: 100) {
    nodes { id state name { text(lang: $lang) } version licenceId sovereignty { hosting openWeights } usedBy(first: 1) { totalCount } }
  }
}`;

interface Map {
  de: string | null;
  en: string | null;
}

/** A model's description in the shape of ModelInput (both languages), for the edit form. */
export interface ModelContent {
  id: string;
  /** The version the edit form was shown with: a change made since is refused as a conflict. */
  lockVersion: number;
  /** DRAFT, PUBLISHED or RETIRED (which cannot be changed). */
  state: string;
  provenance: { local: boolean };
  name: Map;
  version: string;
  revision: string | null;
  licenceId: string;
  baseModel: { name: string; iri: string | null; relation: string } | null;
  architecture: string;
  parameterCount: number | null;
  languages: string[];
  intendedUse: Map;
  outOfScopeUse: Map;
  trainingData: Map;
  evaluation: { benchmark: string; metric: string; value: number; note: Map | null }[];
  limitations: Map;
  trainingEmissions: { co2eGrams: number; hardware: string; region: string } | null;
  inferenceEnergy: { whPer1000Requests: number; hardware: string; testDate: string } | null;
  sovereignty: {
    openWeights: boolean;
    osiOpenSourceAi: string;
    weightsLocation: string;
    hosting: string;
    operatorJurisdiction: string;
    exitStrategy: Map | null;
  };
  servedBy: string[];
  useTerms: Map | null;
  maintainers: { name: string; organisation: string | null; contact: string | null }[];
}

const map = "{ de en }";
export const modelContentQuery = `query ModelContent($id: ID!) {
  model(id: $id) {
    id lockVersion state provenance { local }
    name ${map} version revision licenceId baseModel { name iri relation } architecture parameterCount languages
    intendedUse ${map} outOfScopeUse ${map} trainingData ${map} evaluation { benchmark metric value note ${map} } limitations ${map}
    trainingEmissions { co2eGrams hardware region } inferenceEnergy { whPer1000Requests hardware testDate }
    sovereignty { openWeights osiOpenSourceAi weightsLocation hosting operatorJurisdiction exitStrategy ${map} }
    servedBy useTerms ${map} maintainers { name organisation contact }
  }
}`;

export interface ModelMutationResult {
  __typename: string;
  message?: Text;
  fieldErrors?: { path: string; message: Text }[];
  model?: { id: string };
}

const modelSuccess = "... on ModelSuccess { model { id } }";

export const modelMutations = {
  registerModel: mutation("registerModel", "$input: ModelInput!", "input: $input", modelSuccess, validationErrorFields),
  updateModel: mutation(
    "updateModel",
    "$id: ID!, $lockVersion: Int!, $input: ModelInput!",
    "id: $id, lockVersion: $lockVersion, input: $input",
    modelSuccess,
    validationErrorFields,
  ),
  retireModel: mutation("retireModel", "$id: ID!, $lockVersion: Int!", "id: $id, lockVersion: $lockVersion", modelSuccess),
} as const;
