import { childNodes, type ExpressionNode } from './ast';
import { closingQuote } from './lexical';

/**
 * How deeply an expression's text nests brackets, parentheses and braces, JSON literals
 * included (`` `[[[1]]]` `` is three levels): the recursion depth of the library's parser,
 * which would otherwise find the stack's end before we could look at the tree. Quoted strings
 * and identifiers do not count, nor do brackets inside a JSON literal's strings.
 */
export function textNesting(expression: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i];
    if (ch === "'" || ch === '"') {
      const end = closingQuote(expression, i, ch);
      if (end < 0) break; // the lexer reports it
      i = end;
    } else if (ch === '`') {
      const end = closingQuote(expression, i, ch);
      if (end < 0) break;
      deepest = Math.max(deepest, depth + jsonNesting(expression, i + 1, end));
      i = end;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      deepest = Math.max(deepest, ++depth);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/** Bracket depth of the JSON text between `start` and `end`, skipping its strings. */
function jsonNesting(text: string, start: number, end: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < end && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (ch === '[' || ch === '{') {
      deepest = Math.max(deepest, ++depth);
    } else if (ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/**
 * Depth of a compiled expression, measured without recursion: left-leaning chains such as
 * `a.a.a…` or `a || a || …` are parsed by a loop, so the text alone does not show their depth,
 * but every walk over the tree recurses once per level. Stops counting past `stopAbove`.
 */
export function treeDepth(ast: ExpressionNode, stopAbove: number): number {
  let deepest = 0;
  const nodes: ExpressionNode[] = [ast];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > stopAbove) return deepest;
    }
    for (const [child] of childNodes(node)) {
      nodes.push(child);
      depths.push(depth + 1);
    }
  }
  return deepest;
}
