import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';

/** The handler only ever sees data that matched the shared contract. */
export const withBody =
  <S extends z.ZodType>(
    schema: S,
    handler: (body: z.output<S>, req: Request, res: Response) => Promise<void>,
  ): RequestHandler =>
  async (req, res) => {
    const parsed = schema.safeParse(req.body);
    // Paths and messages only: zod keeps input values out of issues by default.
    if (!parsed.success) throw new AppError('REQUEST_INVALID', { fields: z.flattenError(parsed.error).fieldErrors });
    await handler(parsed.data, req, res);
  };
