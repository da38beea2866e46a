import { defineFunction } from '@weft/functions';
import { z } from 'zod';

export default defineFunction({
  name: 'slugify',
  description: 'Turns a title into a URL slug: lower case, ASCII letters, digits and dashes.',
  args: z.object({
    text: z.string().min(1).describe('The text to slugify'),
    maxLength: z.number().int().min(1).max(200).default(80),
  }),
  handler: ({ text, maxLength }) =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, maxLength),
});
