// GET /docs: the OpenAPI document, browsable (Swagger UI served from node_modules; nothing is fetched from a CDN).
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';

/** Where the browsable docs live. */
export const DOCS_PREFIX = '/docs';

const docs: FastifyPluginAsync = async (fastify) => {
  await fastify.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    // The UI's own pages get a CSP of their own (scripts and styles from this origin only).
    staticCSP: true,
    uiConfig: {
      docExpansion: 'list',
      deepLinking: true,
      // Swagger UI would otherwise send the document to validator.swagger.io for a badge.
      validatorUrl: null,
      tryItOutEnabled: false,
    },
  });
};

export default docs;
