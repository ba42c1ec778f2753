/**
 * English posts (issue 3, lexicons in zh and en): lexicon words found in their inflected forms,
 * negation across be/been, the issue's own broken journeys told in English, and an older lexicon
 * folder without the list of forms never generated. Hand-written sentences, exact outputs.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { parseConfig } from '../core/config.js';
import type { Classification } from '../core/types.js';
import { createClassifier, type Classifier } from '../analysis/index.js';
import { englishForms } from '../analysis/english-forms.js';
import { defaultLexiconDir, loadLexicons } from '../analysis/lexicons.js';

const config = parseConfig({ brands: [{ id: 'shop', name: 'Northwind', aspectTaxonomy: 'retail' }] }, 'test config');
let classifier: Classifier;

beforeAll(() => {
  classifier = createClassifier(config);
});

const run = (text: string): Classification => classifier.classify({ id: 't', text, brand: 'shop' });
const channels = (c: Classification) => c.channels.map((m) => `${m.channel}:${m.polarity}`);
const breakpoints = (c: Classification) => c.breakpoints.map((b) => `${b.channels.join('/')}:${b.kind}:${b.cue}`);

describe('englishForms', () => {
  it('a noun takes its plural only', () => {
    expect(englishForms('courier', 'noun')).toEqual(['couriers']);
    expect(englishForms('delivery', 'noun')).toEqual(['deliveries']);
    expect(englishForms('customer service', 'noun')).toEqual(['customer services']);
  });

  it('a verb takes -s, -ed and -ing, with the spelling rules of e, y and a doubled consonant', () => {
    expect(englishForms('refund', 'verb')).toEqual(['refunds', 'refunded', 'refunding']);
    expect(englishForms('like', 'verb')).toEqual(['likes', 'liked', 'liking']);
    expect(englishForms('reply', 'verb')).toEqual(['replies', 'replied', 'replying']);
    expect(englishForms('stop', 'verb')).toEqual(['stops', 'stopped', 'stopping']);
    expect(englishForms('visit', 'verb')).toEqual(['visits', 'visited', 'visiting']);
    // Phrases other than nouns keep their one form.
    expect(englishForms('stopped working', 'verb')).toEqual([]);
  });

  it('a sentiment word also takes -er, -est and -ly', () => {
    expect(englishForms('terrible', 'any')).toEqual(['terribles', 'terribled', 'terribling', 'terribly']);
    expect(englishForms('big', 'any')).toEqual(expect.arrayContaining(['bigger', 'biggest']));
    expect(englishForms('rude', 'any')).toEqual(expect.arrayContaining(['ruder', 'rudest', 'rudely']));
    expect(englishForms('easy', 'any')).toEqual(expect.arrayContaining(['easier', 'easiest', 'easily']));
  });

  it('leaves alone what is no plain English word of three letters or more', () => {
    expect(englishForms('ok', 'any')).toEqual([]);
    expect(englishForms("don't", 'verb')).toEqual([]);
    expect(englishForms('客服', 'noun')).toEqual([]);
    expect(englishForms('4s', 'noun')).toEqual([]);
  });
});

describe('English sentiment', () => {
  it('finds lexicon words in their inflected forms', () => {
    expect(run('I really liked this place.').sentiment.label).toBe('pos');
    const couriers = run('The couriers were rude.');
    expect(couriers.sentiment.label).toBe('neg');
    expect(channels(couriers)).toEqual(['delivery:neg']);
  });

  it('negates across be, been and all that, and reads a refusal to come back', () => {
    expect(run('I have never been disappointed.').sentiment.label).toBe('pos');
    expect(run("I wasn't all that impressed.").sentiment.label).toBe('neg');
    expect(run("I don't like the app.").sentiment.label).toBe('neg');
    expect(run('We will never go back.').sentiment.label).toBe('neg');
    expect(run("You can't go wrong with this shop.").sentiment.label).toBe('pos');
    // An article between the negator and the word (articles are no lexicon words).
    expect(run('Not a great place for families.').sentiment.label).toBe('neg');
    expect(run("This isn't a good laptop.").sentiment.label).toBe('neg');
    expect(run('Not a bad choice.').sentiment.label).toBe('pos');
  });

  it('does not generate forms of another meaning (late -> later)', () => {
    expect(run('I will check it later.').sentiment.label).toBe('neutral');
    expect(run('The parcel was late.').sentiment.label).toBe('neg');
  });

  it('coming back is no return of goods', () => {
    const back = run('We will return soon, the food was great.');
    expect(back.sentiment.label).toBe('pos');
    expect(channels(back)).toEqual([]);
    expect(channels(run('The return took three weeks and the refund never came.'))).toEqual(['after_sales:neg']);
  });
});

describe('English words stay whole', () => {
  it('a lexicon word never matches inside a longer English word, even where jieba splits it', () => {
    // jieba cuts app|etite and app|store once app is in its dictionary.
    expect(channels(run('I had no appetite.'))).toEqual([]);
    expect(channels(run('appstore')).length).toBe(0);
    expect(run('The notebook is fine.').sentiment.label).toBe('pos');
    // A Chinese compound still starts with its channel noun (快递公司), and App before Han characters is whole.
    expect(channels(run('快递公司送得很快')).map((c) => c.split(':')[0])).toEqual(['delivery']);
    expect(channels(run('App上下单很方便')).map((c) => c.split(':')[0])).toEqual(['app']);
  });

  it('names the channels of a repair story', () => {
    expect(channels(run('Best Buy accepted the return and gave me a replacement.')).map((c) => c.split(':')[0]).sort()).toEqual(['after_sales', 'store']);
    expect(channels(run('I called tech support and was put on hold for an hour.'))).toEqual(['customer_service:neg']);
  });
});

describe('English breakpoints: the journeys of the issue', () => {
  it('an online price the store does not honour', () => {
    const c = run("Great price on Amazon but the store wouldn't honour the online price.");
    expect(breakpoints(c)).toEqual(['marketplace/store:inconsistency:price_mismatch']);
    expect(c.sentiment.label).toBe('neg');
  });

  it('an online purchase the store will not take back', () => {
    const c = run('I bought it on the website but the store refused to accept the return.');
    expect(breakpoints(c)).toEqual(['store/website:handoff:transfer_refused']);
    expect(channels(c)).toContain('after_sales:neg');
  });

  it('favourites saved on the website that store staff cannot see', () => {
    expect(breakpoints(run('My favourites saved on the website were not visible to the store staff.'))).toEqual(['store/website:handoff:no_record']);
  });

  it('a booking made online that the front desk has no record of', () => {
    expect(breakpoints(run('I booked online, but the front desk had no record of my booking.'))).toEqual(['marketplace/store:handoff:no_record']);
  });

  it('sent back and forth between customer service and the store', () => {
    expect(breakpoints(run('The store told me to contact customer service, then customer service told me to call the store.'))).toEqual([
      'customer_service/store:runaround:pushed_around',
    ]);
    expect(breakpoints(run('The app showed it in stock, but the store said it was sold out.'))).toEqual(['app/store:inconsistency:info_contradiction']);
  });

  it('praising one channel and criticising another is not a breakpoint', () => {
    const c = run('The website is great but the store staff were rude.');
    expect(breakpoints(c)).toEqual([]);
    expect(channels(c)).toEqual(['website:pos', 'store:neg']);
  });
});

describe('English questions', () => {
  it('a request for help or a call back asks; a rhetorical why does not', () => {
    expect(run('Can someone from customer service call me back?').question.isQuestion).toBe(true);
    expect(run('Please help, my parcel never arrived.').question.isQuestion).toBe(true);
    expect(run('Why would anyone buy this?').question.isQuestion).toBe(false);
    expect(run('How can I be so unlucky?').question.isQuestion).toBe(false);
  });
});

describe('lexicon 1.8.0', () => {
  it('a folder written before 1.8 (no uninflected list) still loads, and then generates every form', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-lex-'));
    cpSync(defaultLexiconDir(), dir, { recursive: true });
    const syntax = join(dir, 'syntax.yaml');
    writeFileSync(syntax, readFileSync(syntax, 'utf8').replace(/^uninflected:[^\]]*\]/m, ''));
    expect(loadLexicons(dir).syntax.uninflected).toEqual([]);
    const old = createClassifier(config, { lexiconDir: dir });
    // Without the list, later is read as a form of late.
    expect(old.classify({ id: 't', text: 'I will check it later.', brand: 'shop' }).sentiment.label).toBe('neg');
    expect(old.classify({ id: 't', text: 'I really liked this place.', brand: 'shop' }).sentiment.label).toBe('pos');
  });
});
