// The API reference at /docs: Swagger UI's files from the fastapi-offline package (served by
// Coach itself, so it works offline), reading /openapi.json.
window.addEventListener("DOMContentLoaded", () => {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
