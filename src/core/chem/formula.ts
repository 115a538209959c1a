// Chemical-formula parser: a hand-written recursive descent over char codes (no regex, few
// allocations) so that whole data sets parse in well under a second. It accepts every notation of
// docs cif-and-formulas.md §4 and, for everything else, returns an error that says what is wrong
// and where (1-based column into the original string). It never guesses: variable stoichiometry,
// isotopes, endohedral '@' and ambiguous free-text charges are errors, not silent fixes.
//
// Grammar (whitespace allowed between tokens):
//   formula = part { sep part } [ charge ]          sep  = '·' | '⋅' | '•' | '*' | ','
//   part    = [ number ] item { item } [ charge ]
//   item    = element [ count ] [ charge | roman ] | '(' item+ ')' [ count ] | '[' item+ ']' [ count ]
//   charge  = '^' digits? sign | sign digits? after '^' | superscripts | '[' digits? sign ']'
//           | digits sign   (bare, CIF contexts only: type symbols 'O2-', moieties 'S 1+')
import { ELEMENTS, isElementSymbol } from './elements';

export type FormulaContext = 'free-text' | 'cif-sum' | 'cif-moiety' | 'cif-type';

export interface ParseFormulaOptions {
  /** Where the string comes from; decides whether a bare trailing 'n±' is a charge (CIF) or ambiguous (free text). */
  context?: FormulaContext;
}

export interface ParsedFormula {
  ok: true;
  input: string;
  /** Amounts as written, summed over groups and hydrate parts (not reduced), in order of first appearance. */
  elements: Record<string, number>;
  /** Net charge, when the formula states one (Fe^3+, SO4^2-, moiety 'S 1+'). */
  charge?: number;
  /** Oxidation states stated on single elements: Roman numerals Fe(III), or a charge written on an element. */
  oxidationStates?: Record<string, number>;
  notes?: string[];
}

export interface FormulaError {
  ok: false;
  input: string;
  error: string;
  /** 1-based column into the original input (length + 1 for "ended too early"). */
  column: number;
  /** Set when the formula uses variable stoichiometry (x, y, δ): it is recognised, not broken. */
  variable?: true;
}

export type FormulaResult = ParsedFormula | FormulaError;

/** Groups deeper than this are refused (protects the recursion from adversarial input). */
const MAX_DEPTH = 32;

/** Counts are rounded to this many significant digits, removing float noise such as 0.66666666670001. */
const SIGNIFICANT_DIGITS = 12;

class ParseFailure {
  constructor(
    readonly message: string,
    readonly index: number,
    readonly variable = false,
  ) {}
}

// Char codes used by the scanner.
const C = {
  space: 0x20, tab: 0x09, lf: 0x0a, cr: 0x0d, nbsp: 0xa0,
  zero: 0x30, nine: 0x39, dot: 0x2e, plus: 0x2b, minus: 0x2d, caret: 0x5e,
  openParen: 0x28, closeParen: 0x29, openBracket: 0x5b, closeBracket: 0x5d,
  star: 0x2a, comma: 0x2c, at: 0x40, quote: 0x27, dquote: 0x22,
  upperA: 0x41, upperZ: 0x5a, lowerA: 0x61, lowerZ: 0x7a,
  middleDot: 0xb7, dotOperator: 0x22c5, bullet: 0x2022,
  subZero: 0x2080, subNine: 0x2089,
  supPlus: 0x207a, supMinus: 0x207b, supOne: 0xb9, supTwo: 0xb2, supThree: 0xb3, supZero: 0x2070,
  unicodeMinus: 0x2212, enDash: 0x2013,
} as const;

/** Letters used for variable stoichiometry (x, y, z, δ, ε, d as in O7-d). */
const VARIABLE_LETTERS = new Set(['x', 'y', 'z', 'w', 'n', 'δ', 'Δ', 'ε', 'd', 'σ']);

const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4, V: 5, VI: 6, VII: 7, VIII: 8 };

function isDigit(c: number): boolean {
  return c >= C.zero && c <= C.nine;
}
function isSubscriptDigit(c: number): boolean {
  return c >= C.subZero && c <= C.subNine;
}
function superscriptDigit(c: number): number {
  if (c === C.supOne) return 1;
  if (c === C.supTwo) return 2;
  if (c === C.supThree) return 3;
  if (c === C.supZero) return 0;
  if (c >= 0x2074 && c <= 0x2079) return c - 0x2070;
  return -1;
}
function isUpper(c: number): boolean {
  return c >= C.upperA && c <= C.upperZ;
}
function isLower(c: number): boolean {
  return c >= C.lowerA && c <= C.lowerZ;
}
function isSpace(c: number): boolean {
  return c === C.space || c === C.tab || c === C.nbsp || c === C.lf || c === C.cr;
}
function isHydrateSeparator(c: number): boolean {
  return c === C.middleDot || c === C.dotOperator || c === C.bullet || c === C.star;
}
function isSign(c: number): boolean {
  return c === C.plus || c === C.minus || c === C.unicodeMinus || c === C.enDash;
}

/** Rounds to 12 significant digits (integers pass through untouched, which keeps the hot path cheap). */
export function roundAmount(x: number): number {
  return Number.isInteger(x) ? x : Number(x.toPrecision(SIGNIFICANT_DIGITS));
}


/**
 * Element symbols by char codes (capital * 128 + lower-case letter, or + 0 for one letter): a
 * lookup without slicing and hashing a new string per element, which matters over whole data sets.
 */
const SYMBOL_BY_CODE: (string | undefined)[] = (() => {
  const table = new Array<string | undefined>(128 * 128).fill(undefined);
  for (const e of ELEMENTS) table[e.symbol.charCodeAt(0) * 128 + (e.symbol.length > 1 ? e.symbol.charCodeAt(1) : 0)] = e.symbol;
  return table;
})();

/** The element symbol s[start, end) (one or two letters), or undefined. */
function symbolAt(s: string, start: number, end: number): string | undefined {
  return SYMBOL_BY_CODE[s.charCodeAt(start) * 128 + (end - start > 1 ? s.charCodeAt(start + 1) : 0)];
}

/** Exact powers of ten, 10^0 … 10^22 (every one is a double without rounding). */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The decimal s[start, end) = whole.fraction (fraction has `decimals` digits), equal to
 * Number(s.slice(start, end)). When whole·10^decimals + fraction is below 2^53 it and 10^decimals
 * are exact doubles, and one IEEE division rounds their quotient correctly, as Number() does (the
 * fast path of Clinger's algorithm); longer numbers go through Number() without a shortcut.
 * Saves a substring and a string-to-number conversion per decimal count (SuperCon, Matbench).
 */
function decimalValue(s: string, start: number, end: number, whole: number, fraction: number, decimals: number): number {
  if (decimals <= 22) {
    const scale = POWERS_OF_TEN[decimals];
    const mantissa = whole * scale + fraction;
    if (mantissa <= Number.MAX_SAFE_INTEGER && fraction <= Number.MAX_SAFE_INTEGER) return mantissa / scale;
  }
  return Number(s.slice(start, end));
}

/**
 * The scanner state plus what was found. One instance serves every parse (`reset` starts one):
 * parsing is synchronous and never re-entered, and a fresh parser with two arrays per formula was
 * a tenth of the time over a data set, most of it garbage collection.
 */
class Parser {
  private s = '';
  private context: FormulaContext = 'free-text';
  private i = 0;
  private end = 0;
  private depth = 0;
  /** Charge of the part being parsed (set by parsePart). */
  private partCharge = 0;
  /** Set when amounts were multiplied or summed, so float noise may need rounding at the end. */
  arithmetic = false;
  /**
   * Every element occurrence in order, as parallel arrays (symbol, amount) of which the first
   * `entries` are this parse's: groups and parts multiply their own slice in place, and duplicates
   * are merged once at the end. Cheaper than a Map per group on the hot path.
   */
  readonly symbols: string[] = [];
  readonly amounts: number[] = [];
  entries = 0;
  charge = 0;
  hasCharge = false;
  oxidationStates: Record<string, number> | undefined;
  notes: string[] | undefined;

  /** Starts a parse of s[start, end). */
  reset(s: string, context: FormulaContext, start: number, end: number): this {
    this.s = s;
    this.context = context;
    this.i = start;
    this.end = end;
    this.depth = 0;
    this.partCharge = 0;
    this.arithmetic = false;
    this.entries = 0;
    this.charge = 0;
    this.hasCharge = false;
    this.oxidationStates = undefined;
    this.notes = undefined;
    return this;
  }

  /** In CIF contexts a bare trailing 'n±' is a charge (type symbols 'O2-', moieties 'S 1+'). */
  private get cif(): boolean {
    return this.context !== 'free-text';
  }

  private peek(offset = 0): number {
    const j = this.i + offset;
    return j < this.end ? this.s.charCodeAt(j) : -1;
  }

  private fail(message: string, index = this.i, variable = false): never {
    throw new ParseFailure(message, index, variable);
  }

  private note(text: string): void {
    (this.notes ??= []).push(text);
  }

  private skipSpaces(): boolean {
    const start = this.i;
    while (this.i < this.end && isSpace(this.s.charCodeAt(this.i))) this.i++;
    return this.i > start;
  }

  private endsToken(j: number): boolean {
    if (j >= this.end) return true;
    const c = this.s.charCodeAt(j);
    return isSpace(c) || c === C.comma || c === C.closeParen || c === C.closeBracket;
  }

  private scale(from: number, factor: number): void {
    if (factor === 1) return;
    this.arithmetic = true;
    for (let k = from; k < this.entries; k++) this.amounts[k] *= factor;
  }

  parseFormula(): void {
    const start = this.i;
    this.skipSpaces();
    if (this.i >= this.end) this.fail('empty formula: write element symbols with counts, e.g. Fe2O3', start);
    let parts = 0;
    for (;;) {
      const from = this.entries;
      const multiplier = this.parsePart();
      this.scale(from, multiplier);
      if (this.partCharge !== 0) this.charge += this.partCharge * multiplier;
      parts++;
      this.skipSpaces();
      if (this.i >= this.end) break;
      const c = this.peek();
      if (isHydrateSeparator(c) || (c === C.comma && this.context !== 'cif-type' && this.context !== 'cif-sum')) {
        this.i++;
        this.skipSpaces();
        if (this.i >= this.end) this.fail(`formula ends after '${String.fromCharCode(c)}': a part is missing`);
        continue;
      }
      this.unexpected();
    }
    if (parts > 1) this.note(`${parts} parts (hydrate, adduct or moiety) summed`);
  }

  /** A part: an optional leading multiplier (5H2O, 5(H2 O1)), then items with their charges. */
  /** Returns the part's multiplier; its charge is left in partCharge. */
  private parsePart(): number {
    let multiplier = 1;
    const c = this.peek();
    if (isDigit(c) || c === C.dot) {
      if (this.bareChargeFollows()) this.fail('a charge needs a formula before it');
      multiplier = this.readNumber();
      this.skipSpaces();
    }
    this.partCharge = this.parseItems(-1);
    return multiplier;
  }

  /**
   * Items up to the closing bracket `close` (or to the end of the part when close is -1). Their
   * amounts go to the entry list; the net charge written on them is returned.
   */
  private parseItems(close: number): number {
    let charge = 0;
    let count = 0;
    for (;;) {
      const spaced = this.skipSpaces();
      const c = this.peek();
      if (c === -1 || c === close) break;
      if (close === -1 && (isHydrateSeparator(c) || c === C.comma)) break;
      if (isUpper(c)) {
        charge += this.parseElement();
      } else if (c === C.openBracket && this.bracketIsCharge()) {
        if (count === 0) this.fail('a charge needs a formula before it');
        charge += this.readBracketCharge();
        continue;
      } else if (c === C.openParen || c === C.openBracket) {
        charge += this.parseGroup(c === C.openParen ? C.closeParen : C.closeBracket);
      } else if (count > 0 && this.startsCharge(c)) {
        charge += this.readCharge();
        continue;
      } else if (count > 0 && spaced && (isDigit(c) || isSign(c))) {
        charge += this.readSpacedCharge();
        continue;
      } else {
        if (count === 0 && close !== -1) this.fail(`empty group: expected an element after '${this.s[this.i - 1]}'`);
        this.unexpected();
      }
      count++;
    }
    if (count === 0) {
      if (close === -1) this.unexpected();
      this.fail('empty group: expected an element');
    }
    return charge;
  }

  /** A charge after whitespace: the CIF moiety form 'S 1+'; in free text it is ambiguous. */
  private readSpacedCharge(): number {
    const c = this.peek();
    if (isDigit(c) && !this.bareChargeFollows()) {
      this.fail('a number must follow an element or a group without a space (e.g. Fe2)');
    }
    if (isSign(c) && !this.endsToken(this.i + 1) && !isDigit(this.peek(1))) this.unexpected();
    if (!this.cif) this.ambiguousCharge();
    return this.readSignedMagnitude(this.i);
  }

  /** An element with its count; returns a charge written directly on it (CIF 'O2-'), else 0. */
  private parseElement(): number {
    const start = this.i;
    let j = start + 1;
    while (j < this.end && isLower(this.s.charCodeAt(j))) j++;
    const symbol = j - start <= 2 ? symbolAt(this.s, start, j) : undefined;
    if (symbol === undefined) this.rejectSymbol(this.s.slice(start, j), start);
    this.i = j;
    let count = 1;
    let charge = 0;
    const c = this.peek();
    if (this.cif && (isDigit(c) || isSign(c)) && this.bareChargeFollows()) {
      charge = this.readSignedMagnitude(this.i); // 'O2-', 'Cu2+', 'O-' in CIF type symbols
    } else if (isDigit(c) || c === C.dot || isSubscriptDigit(c)) {
      count = this.readCount();
    } else if (c === C.openParen && this.romanFollows()) {
      this.readRoman(symbol);
    }
    this.checkAfterCount();
    this.symbols[this.entries] = symbol;
    this.amounts[this.entries] = count;
    this.entries++;
    return charge;
  }

  /** Explains why a letter run is not an element symbol (always fails). */
  private rejectSymbol(run: string, start: number): never {
    const last = run[run.length - 1];
    const head = run.slice(0, -1);
    if (run.length >= 2 && VARIABLE_LETTERS.has(last) && isElementSymbol(head)) {
      this.fail(`variable stoichiometry: set ${last} to a number`, start + head.length, true);
    }
    if (run === 'D' || run === 'T') {
      // 'TI' in SuperCon is a typo of Ti or Tl, not tritium and iodine: say so.
      const next = this.s[start + 1] ?? '';
      const typo = next >= 'A' && next <= 'Z' && isElementSymbol(run + next.toLowerCase()) ? ` (or did you mean ${run + next.toLowerCase()}?)` : '';
      this.fail(`isotope ${run} is not supported: write H instead${typo}`, start);
    }
    if (run.length > 2) this.fail(`unknown element symbol '${run}': a symbol is one capital and at most one lower-case letter`, start);
    this.fail(`unknown element symbol '${run}'`, start);
  }

  /** A bracketed group with its count; returns the charge written in and on it. */
  private parseGroup(close: number): number {
    let charge = 0;
    const open = this.i;
    const from = this.entries;
    if (++this.depth > MAX_DEPTH) this.fail(`groups nested deeper than ${MAX_DEPTH}`);
    this.i++;
    const inner = this.parseItems(close);
    if (this.peek() !== close) this.fail(`'${this.s[open]}' at column ${open + 1} is never closed`, this.i >= this.end ? open : this.i);
    this.i++;
    this.depth--;
    let count = 1;
    const c = this.peek();
    if (this.cif && isDigit(c) && this.bareChargeFollows()) {
      charge = this.readSignedMagnitude(this.i);
    } else if (isDigit(c) || c === C.dot || isSubscriptDigit(c)) {
      count = this.readCount();
    }
    this.checkAfterCount();
    this.scale(from, count);
    return charge + inner * count;
  }

  /** After a count: 'x', '-x', '+δ', '1-x' mean variable stoichiometry; '+2', '-1' or a bare '3+' are errors. */
  private checkAfterCount(): void {
    const c = this.peek();
    // Usually the next element follows: a capital is neither a variable letter nor a sign.
    if (c === -1 || isUpper(c)) return;
    const ch = this.s[this.i];
    if (VARIABLE_LETTERS.has(ch)) this.fail(`variable stoichiometry: set ${ch} to a number`, this.i, true);
    if (!isSign(c)) return;
    let j = this.i + 1;
    while (j < this.end && (isDigit(this.s.charCodeAt(j)) || this.s.charCodeAt(j) === C.dot)) j++;
    const after = this.s[j];
    if (j < this.end && VARIABLE_LETTERS.has(after)) this.fail(`variable stoichiometry: set ${after} to a number`, this.i, true);
    const digits = this.s.slice(this.i + 1, j);
    if (digits) {
      this.fail(
        c === C.plus
          ? `unexpected '+${digits}': write a charge as ^${digits}+ or a variable amount as +x`
          : `unexpected '-${digits}': counts cannot be negative (write a charge as ^${digits}-)`,
      );
    }
    if (this.endsToken(j) && !this.cif) this.ambiguousCharge();
  }

  private ambiguousCharge(): never {
    this.fail("ambiguous charge: in free text write Fe^3+ or Fe³⁺ (a bare '3+' is read only in CIF type symbols and moieties)");
  }

  /** True when digits at i are immediately followed by a sign that ends the token (CIF-style 'O2-', '1+', '-'). */
  private bareChargeFollows(): boolean {
    let j = this.i;
    while (j < this.end && isDigit(this.s.charCodeAt(j))) j++;
    if (j >= this.end || !isSign(this.s.charCodeAt(j))) return false;
    return this.endsToken(j + 1);
  }

  private startsCharge(c: number): boolean {
    return c === C.caret || c === C.supPlus || c === C.supMinus || superscriptDigit(c) >= 0;
  }

  private bracketIsCharge(): boolean {
    const c = this.peek(1);
    return isDigit(c) || isSign(c);
  }

  /** '(III)' right after an element: an oxidation state (Cu(I) is copper(I), not CuI). */
  private romanFollows(): boolean {
    let j = this.i + 1;
    while (j < this.end && (this.s[j] === 'I' || this.s[j] === 'V' || this.s[j] === 'X')) j++;
    if (j === this.i + 1 || this.s.charCodeAt(j) !== C.closeParen) return false;
    const roman = this.s.slice(this.i + 1, j);
    if (ROMAN[roman] === undefined) return false;
    // (I) and (V) with a count after them are groups of iodine or vanadium: Fe(V)2 = FeV2.
    const next = j + 1 < this.end ? this.s.charCodeAt(j + 1) : -1;
    return roman.length > 1 || !(isDigit(next) || isSubscriptDigit(next) || next === C.dot);
  }

  private readRoman(symbol: string): void {
    const close = this.s.indexOf(')', this.i);
    const roman = this.s.slice(this.i + 1, close);
    (this.oxidationStates ??= {})[symbol] = ROMAN[roman];
    this.note(`(${roman}) read as oxidation state +${ROMAN[roman]} of ${symbol}, not a group`);
    this.i = close + 1;
  }

  /** '^3+', '^-', superscripts '³⁺'; returns the signed value. */
  private readCharge(): number {
    const at = this.i;
    this.hasCharge = true;
    if (this.peek() === C.caret) {
      this.i++;
      return this.readSignedMagnitude(at);
    }
    let magnitude = 0;
    let digits = 0;
    let sign = 0;
    for (;;) {
      const c = this.peek();
      const d = superscriptDigit(c);
      if (d >= 0 && sign === 0) {
        magnitude = magnitude * 10 + d;
        digits++;
      } else if ((c === C.supPlus || c === C.supMinus) && sign === 0) {
        sign = c === C.supPlus ? 1 : -1;
      } else break;
      this.i++;
    }
    if (sign === 0) this.fail('superscript charge needs ⁺ or ⁻', this.i);
    return sign * (digits ? magnitude : 1);
  }

  /** 'digits? sign' or 'sign digits?' (after '^', in '[2-]', or CIF 'O2-'); returns the signed value. */
  private readSignedMagnitude(at: number): number {
    this.hasCharge = true;
    let digits = '';
    while (isDigit(this.peek())) digits += this.s[this.i++];
    const c = this.peek();
    if (!isSign(c)) this.fail(`a charge needs a sign: write e.g. ^${digits || '2'}+ or ^${digits || '2'}-`, digits ? this.i : at);
    this.i++;
    if (!digits) while (isDigit(this.peek())) digits += this.s[this.i++];
    return (c === C.plus ? 1 : -1) * (digits ? Number(digits) : 1);
  }

  private readBracketCharge(): number {
    const open = this.i;
    this.i++;
    const value = this.readSignedMagnitude(open);
    if (this.peek() !== C.closeBracket) this.fail("a charge in brackets looks like [2-] or [3+]: ']' expected");
    this.i++;
    return value;
  }

  /** A count: ASCII digits with an optional decimal part ('2', '0.5', '.5'), or Unicode subscript digits. */
  private readCount(): number {
    if (isSubscriptDigit(this.peek())) {
      const start = this.i;
      let n = 0;
      while (isSubscriptDigit(this.peek())) n = n * 10 + (this.s.charCodeAt(this.i++) - C.subZero);
      // Same limit as ASCII counts: 400 subscript digits must not become H: Infinity.
      if (n > 1e9) this.fail('number too large', start);
      return n;
    }
    return this.readNumber();
  }

  private readNumber(): number {
    const start = this.i;
    let value = 0;
    while (isDigit(this.peek())) value = value * 10 + (this.s.charCodeAt(this.i++) - C.zero);
    if (this.peek() === C.dot) {
      const dot = this.i;
      this.i++;
      if (!isDigit(this.peek())) {
        const whole = this.s.slice(start, dot);
        this.fail(`number ends with '.': write ${whole || '0'}.5 or ${whole || '1'}`, dot);
      }
      let fraction = 0;
      while (isDigit(this.peek())) fraction = fraction * 10 + (this.s.charCodeAt(this.i++) - C.zero);
      value = decimalValue(this.s, start, this.i, value, fraction, this.i - dot - 1);
      // A decimal of up to 12 digits is already what was written; longer ones get rounded.
      if (this.i - start > SIGNIFICANT_DIGITS + 1) value = roundAmount(value);
    }
    if (!Number.isFinite(value) || value > 1e9) this.fail('number too large', start);
    return value;
  }

  private unexpected(): never {
    const c = this.peek();
    if (c === -1) this.fail('formula ended too early');
    const ch = String.fromCodePoint(this.s.codePointAt(this.i) ?? c);
    if (c === C.at) this.fail("endohedral notation '@' (e.g. Y3N@C80) is not supported");
    if (c === C.closeParen || c === C.closeBracket) this.fail(`'${ch}' has no matching opening bracket`);
    if (isSign(c)) this.fail(`unexpected '${ch}': counts cannot be negative; write a charge as ^2${c === C.plus ? '+' : '-'}`);
    if (VARIABLE_LETTERS.has(ch)) this.fail(`variable stoichiometry: set ${ch} to a number`, this.i, true);
    if (isLower(c)) {
      let j = this.i;
      while (j < this.end && isLower(this.s.charCodeAt(j))) j++;
      const run = this.s.slice(this.i, j);
      const fixed = run[0].toUpperCase() + run.slice(1);
      const hint = isElementSymbol(fixed) ? ` (symbols are case-sensitive: did you mean ${fixed}?)` : ': element symbols start with a capital letter';
      this.fail(`unknown element symbol '${run}'${hint}`);
    }
    if (c === C.dot) this.fail("unexpected '.': a decimal point must be inside a number");
    if (isDigit(c) || isSubscriptDigit(c)) this.fail('a number must follow an element or a group');
    this.fail(`unexpected character '${ch}'`);
  }
}

/** Strips one pair of surrounding CIF quotes ('C12 H10 N2 O'), keeping columns relative to the original. */
function unquotedRange(s: string): [number, number] {
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  // Fast path: nothing to strip (the common case over data sets).
  if (!isSpace(first) && first !== C.quote && first !== C.dquote && !isSpace(last)) return [0, s.length];
  let start = 0;
  let end = s.length;
  while (start < end && isSpace(s.charCodeAt(start))) start++;
  while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
  const q = s.charCodeAt(start);
  if (end - start >= 2 && (q === C.quote || q === C.dquote) && s.charCodeAt(end - 1) === q) return [start + 1, end - 1];
  return [0, s.length];
}

/**
 * A plain object in V8's dictionary mode. Element maps have ~85 possible keys in any order; as
 * ordinary fast objects every new key order creates a new hidden class, which made building the
 * result ten times slower than parsing over a data set. Deleting a property that is not the last
 * one switches the object to dictionary mode (it stays a plain {} with Object.prototype).
 */
function dictionaryObject(): Record<string, number> {
  const o: Record<string, number> = { dictionaryModeA: 0, dictionaryModeB: 0 };
  delete o.dictionaryModeA;
  delete o.dictionaryModeB;
  return o;
}

/** Sums repeated elements (in order of first appearance), rounds float noise, and sets zero amounts aside. */
function mergeEntries(parser: Parser): { elements: Record<string, number>; count: number; zero: string[] | undefined } {
  const { symbols, amounts } = parser;
  const n = parser.entries;
  // Fold repeats into the first occurrence (NaN marks a folded entry). Formulas hold a handful of
  // entries and the symbols are interned strings, so the quadratic scan is the cheap way.
  let summed = false;
  for (let k = 1; k < n; k++) {
    for (let j = 0; j < k; j++) {
      if (symbols[j] === symbols[k]) {
        amounts[j] += amounts[k];
        amounts[k] = NaN;
        summed = true;
        break;
      }
    }
  }
  const round = parser.arithmetic || summed;
  const elements = dictionaryObject();
  let count = 0;
  let zero: string[] | undefined;
  for (let k = 0; k < n; k++) {
    let amount = amounts[k];
    if (Number.isNaN(amount)) continue;
    if (round) amount = roundAmount(amount);
    if (amount > 0) {
      elements[symbols[k]] = amount;
      count++;
    } else (zero ??= []).push(symbols[k]);
  }
  return { elements, count, zero };
}

const PARSER = new Parser();

/** Parses a chemical formula in any notation of cif-and-formulas.md §4. Never throws. */
export function parseFormula(input: string, options?: ParseFormulaOptions): FormulaResult {
  const [start, end] = unquotedRange(input);
  const parser = PARSER.reset(input, options?.context ?? 'free-text', start, end);
  try {
    parser.parseFormula();
    const { elements, count, zero } = mergeEntries(parser);
    // SuperCon writes absent dopants as 'Sr0': drop them (as pymatgen does) and say so.
    if (zero) (parser.notes ??= []).push(`zero amount dropped: ${zero.join(', ')}`);
    if (count === 0) {
      return { ok: false, input, error: 'no element has a positive amount', column: start + 1 };
    }
    const result: ParsedFormula = { ok: true, input, elements };
    if (parser.hasCharge) result.charge = roundAmount(parser.charge);
    if (parser.hasCharge && count === 1 && !parser.oxidationStates) {
      const symbols = Object.keys(elements);
      // A charged single element (Fe^3+, CIF 'O2-', O2^2-) states that element's oxidation state.
      parser.oxidationStates = { [symbols[0]]: roundAmount(parser.charge / elements[symbols[0]]) };
    }
    if (parser.oxidationStates) result.oxidationStates = parser.oxidationStates;
    if (parser.notes) result.notes = parser.notes;
    return result;
  } catch (e) {
    if (!(e instanceof ParseFailure)) throw e;
    const error: FormulaError = { ok: false, input, error: e.message, column: Math.min(e.index, input.length) + 1 };
    if (e.variable) error.variable = true;
    return error;
  }
}
