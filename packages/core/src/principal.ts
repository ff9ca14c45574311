/** Who acts on a node. Roles are per node; a person with several duties gets the role of the act. */
export const roles = ["admin", "editor", "vetter", "moderator"] as const;
export type Role = (typeof roles)[number];

export interface Principal {
  name: string;
  role: Role;
}
