// /docs: Swagger UI over this server's /openapi.json. No validator badge
// (it would call validator.swagger.io): nothing leaves this machine.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  window.SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", validatorUrl: null, deepLinking: true});
});
