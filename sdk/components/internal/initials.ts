/** Up to two initials of a person's name, for an avatar: "Bob Lambert" → "BL", "Chen" → "C", "" → "". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  const first = words[0]!;
  const last = words.length > 1 ? words[words.length - 1]! : '';
  // Array.from keeps a letter outside the BMP (and its surrogate pair) whole.
  return (Array.from(first)[0]! + (last ? Array.from(last)[0]! : '')).toLocaleUpperCase();
}
