/** Version reported by `GET /healthz`. */
export const VERSION = "0.1.0";
