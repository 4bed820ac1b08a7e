/** The client's notification that the workspace became trusted (the server was started in Restricted Mode): a module of its own so the client's bundle need not carry the server. */
export const TRUSTED_NOTIFICATION = 'ringside/trusted';
