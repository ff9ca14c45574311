/** Who acts on a node. Roles are per node; a person with several duties gets the role of the act. */
export const roles = ["admin", "editor", "vetter", "moderator"] as const;
export type Role = (typeof roles)[number];

export interface Principal {
  name: string;
  role: Role;
  /**
   * True for an account that no single person stands behind (the node's first admin token, made
   * to set the node up). It may do everything its role allows except what a record names a human
   * for: vetting and sending back.
   */
  shared?: boolean;
}
