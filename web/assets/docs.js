// /docs: Swagger UI over this server's own /openapi.json, so "Try it out" calls the server that
// served the page (the document's server URL is "/"). No third-party calls: the validator badge,
// which would send the document to validator.swagger.io, is off.
'use strict';
window.addEventListener('DOMContentLoaded', () => {
  window.ui = window.SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
  });
});
