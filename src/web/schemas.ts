// OpenAPI building blocks shared by the route modules: error shape, ids, paging, JSON helpers.
import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
      rows: z.array(z.object({ row: z.number(), field: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const body = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const errors = {
  400: json(ErrorSchema, 'Invalid input; `field` names the first bad field'),
  401: json(ErrorSchema, 'Not logged in'),
  403: json(ErrorSchema, 'No permission, or CSRF token missing'),
  404: json(ErrorSchema, 'Not found (or outside the caller’s skill-group scope)'),
  409: json(ErrorSchema, 'Conflict: duplicate, or the row is still in use'),
};

export const IdParam = z.object({
  id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export const NoContent = { 204: { description: 'Done' } };
