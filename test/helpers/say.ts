// Rules written inside a test say what they were given: one message, `{{text}}`, filled with it.
export const SAY = { text: '{{text}}' } as const;

export function say(text: string): { messageId: 'text'; data: { text: string } } {
  return { messageId: 'text', data: { text } };
}
