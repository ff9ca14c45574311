import type { Principal } from "@leitplanken/core";
export interface GraphQLContext { principal: Principal | null }
