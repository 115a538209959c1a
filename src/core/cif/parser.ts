// CIF 1.1 parser: data blocks, items and loops, with positioned diagnostics (docs/cif-and-formulas.md
// §1 and §3). Never throws; every problem becomes a diagnostic and parsing continues, so the
// editor can show all of them at once.
import { ddlmSpelling, isCheckedCategory, knownTagName, nearestKnownTag, tagKey } from './dictionary';
import { lexCifTable, tokenRange, TOKEN_LOOP, TOKEN_QUOTED, TOKEN_TAG, TOKEN_TEXT_FIELD, TOKEN_VALUE, type CifToken, type TokenTable } from './lexer';
import type { CifBlock, CifDiagnostic, CifDocument, CifItem, CifRange, CifValue } from './types';
import { checkUnclosedSu, LoopColumn, valueAt } from './values';

export interface ParseCifOptions {
  /** File name, used to decide whether save frames are allowed (only in .dic dictionaries). */
  fileName?: string;
  /** Report unknown data names in structure categories (info). Default true. */
  unknownTags?: boolean;
  /** Suggest the DDLm spelling for legacy names in blocks that mix both (info). Default true. */
  spellingHints?: boolean;
}

export const MAX_NAME_LENGTH = 75;

function isValueKind(kind: number): boolean {
  return kind === TOKEN_VALUE || kind === TOKEN_QUOTED || kind === TOKEN_TEXT_FIELD;
}

/** A tag as the parser needs it: its name, lookup key and range (no token object per tag). */
interface TagAt {
  name: string;
  key: string;
  range: CifRange;
}

export function parseCif(text: string, options: ParseCifOptions = {}): CifDocument {
  const lexed = lexCifTable(text);
  const parser = new Parser(text, lexed.table, options);
  parser.run();
  const diagnostics = [...lexed.diagnostics, ...parser.diagnostics];
  return { blocks: parser.blocks, diagnostics };
}

interface OpenBlock {
  block: CifBlock;
  byKey: Map<string, CifItem>;
}

class Parser {
  readonly blocks: CifBlock[] = [];
  readonly diagnostics: CifDiagnostic[] = [];
  private current: OpenBlock | undefined;
  private readonly blockCodes = new Map<string, CifRange>();
  private saveFrame: CifToken | undefined;
  private readonly dictionary: boolean;
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly table: TokenTable,
    private readonly options: ParseCifOptions,
  ) {
    this.dictionary = /\.dic$/i.test(options.fileName ?? '');
  }

  run(): void {
    while (this.i < this.table.count) this.step();
    this.closeBlock();
    if (this.saveFrame) this.error('unterminated-save-frame', tokenRange(this.saveFrame), `Save frame save_${this.saveFrame.text} is not closed: add a line save_ after its last item.`);
  }

  private step(): void {
    // Tags and loops are nearly every step: dispatch on the kind code before building a token.
    const kind = this.table.kinds[this.i];
    if (kind === TOKEN_TAG) return this.item();
    if (kind === TOKEN_LOOP) return this.loop();
    const t = this.table.token(this.i);
    switch (t.kind) {
      case 'data':
        this.closeBlock();
        this.i++;
        return this.openBlock(t);
      case 'save':
        this.i++;
        return this.save(t);
      case 'loop':
        return this.loop();
      case 'tag':
        return this.item();
      case 'global':
      case 'stop':
        this.i++;
        this.error('reserved-word', tokenRange(t), `${t.text} is a reserved word in CIF 1.1 and cannot be used here: remove it (STAR global_ blocks and stop_ are not part of CIF).`);
        return;
      default:
        this.i++;
        this.error('value-without-tag', tokenRange(t), `Value ${abbreviate(t.text)} has no tag: put a data name (_category_item) before it, or quote it if it belongs to the previous value.`);
    }
  }

  private error(code: string, range: CifRange, message: string, fix?: CifDiagnostic['fix']): void {
    this.diagnostics.push(fix ? { severity: 'error', code, message, range, fix } : { severity: 'error', code, message, range });
  }

  private warn(code: string, range: CifRange, message: string): void {
    this.diagnostics.push({ severity: 'warning', code, message, range });
  }

  private openBlock(t: CifToken): void {
    this.closeBlock();
    const range = tokenRange(t);
    if (t.text.length === 0) this.error('empty-block-code', range, 'data_ needs a block code: write data_<name> with no space (e.g. data_NaCl).');
    if (t.text.length > MAX_NAME_LENGTH) this.warn('name-too-long', range, `Block code is ${t.text.length} characters long; CIF 1.1 allows at most ${MAX_NAME_LENGTH}: shorten it.`);
    const lower = t.text.toLowerCase();
    const first = this.blockCodes.get(lower);
    if (first) {
      this.error('duplicate-block', range, `Duplicate block code data_${t.text} (first at line ${first.start.line + 1}; codes are case-insensitive): rename one block, since readers keep only one of them.`);
    } else this.blockCodes.set(lower, range);
    if (this.saveFrame) {
      this.error('unterminated-save-frame', tokenRange(this.saveFrame), `Save frame save_${this.saveFrame.text} is not closed: add a line save_ after its last item.`);
      this.saveFrame = undefined;
    }
    this.current = { block: { name: t.text, range, extent: range, items: [], loops: [] }, byKey: new Map() };
  }

  private closeBlock(): void {
    const open = this.current;
    if (!open) return;
    const last = this.i - 1;
    if (last >= 0) open.block.extent = { start: open.block.range.start, end: { line: this.table.endLines[last], character: this.table.endCharacters[last] } };
    if (this.options.spellingHints !== false) this.spellingHints(open.block);
    this.blocks.push(open.block);
    this.current = undefined;
  }

  private save(t: CifToken): void {
    const range = tokenRange(t);
    if (t.text === '') {
      if (!this.saveFrame) this.error('save-frame-end-without-start', range, 'save_ closes a save frame but none is open: remove it.');
      this.saveFrame = undefined;
      return;
    }
    if (this.saveFrame) {
      this.error('nested-save-frame', range, `Save frames cannot nest: close save_${this.saveFrame.text} with save_ before opening save_${t.text}.`);
    }
    if (!this.dictionary) {
      this.warn('save-frame', range, `Save frame save_${t.text} in a CIF data file: save frames belong in dictionaries (.dic); its items are ignored here. Move them into the data block.`);
    }
    this.saveFrame = t;
  }

  /** The block items go to, or undefined (and a diagnostic) when outside any block or in a save frame. */
  private target(index: number): OpenBlock | undefined {
    if (this.saveFrame) return undefined;
    if (!this.current) {
      const t = this.table;
      this.error('outside-block', t.range(index), `${abbreviate(this.text.slice(t.starts[index], t.ends[index]))} is outside any data block: add a data_<name> line before it.`);
      return undefined;
    }
    return this.current;
  }

  private tagAt(index: number): TagAt {
    const name = this.table.text(index);
    return { name, key: tagKey(name), range: this.table.range(index) };
  }

  private item(): void {
    const table = this.table;
    const tagIndex = this.i++;
    const tag = this.tagAt(tagIndex);
    const open = this.target(tagIndex);
    const nextKind = this.i < table.count ? table.kinds[this.i] : -1;
    let value: CifValue | undefined;
    if (isValueKind(nextKind)) {
      checkUnclosedSu(table, this.i, this.diagnostics);
      value = valueAt(table, this.i);
      this.i++;
    } else if (nextKind >= 0 && nextKind !== TOKEN_TAG && table.lines[this.i] === table.endLines[tagIndex]) {
      // A reserved word on the tag's own line was meant as the value.
      value = this.reservedWordValue(table.token(this.i++));
    } else {
      this.error('missing-value', tag.range, `${tag.name} has no value: add one after it (use ? for unknown, . for inapplicable).`);
    }
    const single = value;
    if (open && single) this.addItem(open, tag, (name, key, nameRange) => ({ name, key, nameRange, values: [single] }));
    else if (open) this.checkName(tag);
  }

  private reservedWordValue(t: CifToken): CifValue {
    const word = this.text.slice(t.start, t.end);
    const range = tokenRange(t);
    this.error('reserved-word-value', range, `${word} is a reserved word and cannot be an unquoted value: quote it ('${word}').`, {
      title: `Quote '${word}'`,
      replacement: `'${word}'`,
      range,
    });
    return { text: word, kind: 'string', range };
  }

  private loop(): void {
    const loopIndex = this.i++;
    const open = this.target(loopIndex);
    const tags: TagAt[] = [];
    while (this.i < this.table.count && this.table.kinds[this.i] === TOKEN_TAG) tags.push(this.tagAt(this.i++));
    const firstValue = this.i;
    const kinds = this.table.kinds;
    while (this.i < this.table.count) {
      const kind = kinds[this.i];
      if (kind !== TOKEN_VALUE && kind !== TOKEN_QUOTED && kind !== TOKEN_TEXT_FIELD) break;
      checkUnclosedSu(this.table, this.i, this.diagnostics);
      this.i++;
    }
    const valueCount = this.i - firstValue;
    const loopRange = this.table.range(loopIndex);
    if (tags.length === 0) {
      this.error('loop-without-tags', loopRange, 'loop_ must be followed by at least one data name (_category_item) and then the values.');
      return;
    }
    if (valueCount === 0) {
      this.warn('loop-without-values', loopRange, 'This loop has data names but no values: add the rows or remove the loop.');
    }
    const rows = Math.floor(valueCount / tags.length);
    const extra = valueCount - rows * tags.length;
    if (extra) {
      const first = this.table.token(firstValue + rows * tags.length);
      const last = this.table.token(this.i - 1);
      this.error(
        'loop-value-count',
        { start: { line: first.line, character: first.character }, end: { line: last.endLine, character: last.endCharacter } },
        `Loop has ${valueCount} values for ${tags.length} data names, not a multiple: the last row has ${extra} of ${tags.length} values. Add the missing ${tags.length - extra} (use ? for unknown) or remove the extra ones; a quoted value containing spaces may have lost its quotes.`,
      );
    }
    if (!open) return;
    const loopNumber = open.block.loops.length;
    const keys: string[] = [];
    tags.forEach((tag, column) => {
      const item = this.addItem(open, tag, (name, key, nameRange) => new LoopColumn(name, key, nameRange, loopNumber, this.table, firstValue, column, tags.length, rows));
      if (item) keys.push(item.key);
    });
    open.block.loops.push({ keys, range: loopRange, rowCount: rows });
  }

  private addItem(open: OpenBlock, tag: TagAt, make: (name: string, key: string, nameRange: CifRange) => CifItem): CifItem | undefined {
    const key = tag.key;
    const first = open.byKey.get(key);
    if (first) {
      this.error('duplicate-tag', tag.range, `Duplicate data name ${tag.name} in data_${open.block.name} (first at line ${first.nameRange.start.line + 1}; names are case-insensitive and _a.b equals _a_b): remove one, since readers disagree on which one wins.`);
      return undefined;
    }
    this.checkName(tag);
    const item = make(tag.name, key, tag.range);
    open.block.items.push(item);
    open.byKey.set(key, item);
    return item;
  }

  private checkName(tag: TagAt): void {
    const { name, key } = tag;
    if (name.length > MAX_NAME_LENGTH) this.warn('name-too-long', copyRange(tag.range), `Data name is ${name.length} characters long; CIF 1.1 allows at most ${MAX_NAME_LENGTH}: shorten it.`);
    if (this.options.unknownTags === false) return;
    const verdict = tagVerdict(key);
    if (verdict === KNOWN_TAG) return;
    const { checked, near } = verdict;
    if (!checked && !near) return;
    const message = near
      ? `Unknown data name ${name}: did you mean ${near.name}?`
      : `Unknown data name ${name} in a structure category: check the spelling against the IUCr core dictionary (readers will ignore it).`;
    const at = copyRange(tag.range);
    const diagnostic: CifDiagnostic = { severity: 'info', code: 'unknown-tag', message, range: at };
    if (near) diagnostic.fix = { title: `Change to ${near.name}`, replacement: near.name, range: at };
    this.diagnostics.push(diagnostic);
  }


  /** In a block that already uses DDLm dotted names, offer the dotted form of each legacy name. */
  private spellingHints(block: CifBlock): void {
    if (!block.items.some((item) => item.name.includes('.'))) return;
    for (const item of block.items) {
      const dotted = ddlmSpelling(item.name);
      if (!dotted) continue;
      this.diagnostics.push({
        severity: 'info',
        code: 'legacy-spelling',
        message: `This block mixes DDLm and legacy data names: use the DDLm spelling ${dotted} for ${item.name}.`,
        range: item.nameRange,
        fix: { title: `Use the DDLm spelling ${dotted}`, replacement: dotted, range: item.nameRange },
      });
    }
  }
}

/** A diagnostic's own copy of a range (items keep theirs). */
function copyRange(range: CifRange): CifRange {
  return { start: { ...range.start }, end: { ...range.end } };
}

interface UnknownTag {
  /** In a structure category, where an unknown name loses data. */
  checked: boolean;
  near: { name: string; distance: number } | undefined;
}
const KNOWN_TAG = Object.freeze({ checked: false, near: undefined });
const verdicts = new Map<string, UnknownTag>();

/**
 * What the dictionary says about a tag key (KNOWN_TAG, or whether it is in a checked category and
 * its nearest known name), memoised per key: the editor re-parses the same names on every edit,
 * and the three lookups behind it were a fifth of a warm parse.
 */
function tagVerdict(key: string): UnknownTag {
  let verdict = verdicts.get(key);
  if (verdict) return verdict;
  if (knownTagName(key)) verdict = KNOWN_TAG;
  else {
    const checked = isCheckedCategory(key);
    verdict = { checked, near: nearestKnownTag(key, checked ? 3 : 2, !checked) };
  }
  if (verdicts.size > 5000) verdicts.clear();
  verdicts.set(key, verdict);
  return verdict;
}

function abbreviate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 40 ? `'${oneLine.slice(0, 37)}...'` : `'${oneLine}'`;
}
