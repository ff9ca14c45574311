import { modelInput as namedModelInput } from "../../packages/graphql/src/testing/records.fixture.ts";

/** A shared model as an editor registers it through GraphQL (`registerModel(input:)`), for tests that publish one. */
export const modelInput = namedModelInput();
