// How many SMS segments a text takes, as carriers bill it: GSM-7 when every
// character is in the GSM 03.38 alphabet (160 per message, 153 per part of a
// long one; the extension characters take two), otherwise UCS-2 (70, and 67
// per part, counted in UTF-16 code units, so an emoji takes two).
// Pure: the compose drawer's counter and the Twilio stand-in share it.

const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM_EXTENDED = new Set("\f^{}\\[~]|€");

export interface SegmentCount {
  encoding: "GSM-7" | "UCS-2";
  /** Characters as the encoding counts them (septets for GSM-7, UTF-16 units for UCS-2). */
  units: number;
  segments: number;
  /** What one more segment's worth of room is left before the next one starts. */
  remaining: number;
  /** Units that fit in one segment of this encoding, when the text is split. */
  perSegment: number;
}

export function countSegments(text: string): SegmentCount {
  let septets = 0;
  let gsm = true;
  for (const c of text) {
    if (GSM_BASIC.has(c)) septets += 1;
    else if (GSM_EXTENDED.has(c)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  const [units, single, multi] = gsm ? [septets, 160, 153] : [text.length, 70, 67];
  const segments = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi);
  const perSegment = segments > 1 ? multi : single;
  const remaining = segments === 0 ? single : segments * perSegment - units;
  return { encoding: gsm ? "GSM-7" : "UCS-2", units, segments, remaining, perSegment };
}
