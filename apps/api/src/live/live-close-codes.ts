// Close codes of a live-updates websocket (README "Live updates"), those of the GraphQL over
// WebSocket protocol as the graphql-ws package names them (CloseCode): its client retries after
// 4403 (a fresh token may be accepted) and gives up after 4429.
export const LIVE_CLOSE = {
  // connection_init without a valid, unexpired token; or the token expired while connected
  forbidden: 4403,
  // a second connection_init on one socket; or the user's connections over the per-instance limit
  tooMany: 4429,
} as const;

// A close reason is at most 123 bytes (RFC 6455): longer text is cut, never refused by ws.
export function closeReason(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= 123) return text;
  return (
    bytes
      .subarray(0, 120)
      .toString('utf8')
      .replace(/\uFFFD$/, '') + '...'
  );
}
