import { describe, expect, it } from 'vitest';
import { captionsForImages, parseCaptions } from './captions-file.js';

const images = ['a.png', 'b.jpg', 'sub/c.png'];
const resolve = (text: string, file: string) => captionsForImages(parseCaptions(text, file), images, file);

describe('clip-score captions file', () => {
  it('reads one caption per line in image order, final newline optional, CRLF accepted', () => {
    expect(resolve('a cat\na dog\r\na bird\n', 'c.txt')).toEqual(['a cat', 'a dog', 'a bird']);
    expect(resolve('\ufeffa cat\na dog\na bird', 'c.txt')).toEqual(['a cat', 'a dog', 'a bird']);
  });

  it('refuses a count mismatch and empty lines, naming the file', () => {
    expect(() => resolve('a cat\na dog\n', 'c.txt')).toThrow(/^c\.txt: has 2 caption lines for 3 images/);
    expect(() => resolve('a cat\n\na bird\n', 'c.txt')).toThrow(/^c\.txt: line 2 is an empty caption \(for b\.jpg\)/);
    expect(() => resolve('a cat\n  \na bird\n', 'c.txt')).toThrow(/line 2 is an empty caption/);
  });

  it('maps JSON names (relative paths or unique base names) to images', () => {
    expect(resolve(JSON.stringify({ 'sub/c.png': 'three', 'b.jpg': 'two', 'a.png': 'one' }), 'm.json')).toEqual(['one', 'two', 'three']);
    expect(resolve(JSON.stringify({ 'c.png': 'three', './b.jpg': 'two', 'a.png': 'one' }), 'm.JSON')).toEqual(['one', 'two', 'three']);
  });

  it('refuses bad JSON mappings with one line naming the file', () => {
    expect(() => resolve('[1, 2]', 'm.json')).toThrow(/^m\.json: expected a JSON object/);
    expect(() => resolve('{', 'm.json')).toThrow(/^m\.json: not valid JSON/);
    expect(() => resolve('{"a.png": 3}', 'm.json')).toThrow(/the caption of "a\.png" is not a string/);
    expect(() => resolve('{"a.png": "x", "b.jpg": "y", "sub/c.png": "z", "d.png": "w"}', 'm.json')).toThrow(/"d\.png", which is not an image of the folder/);
    expect(() => resolve('{"a.png": "x", "b.jpg": "y"}', 'm.json')).toThrow(/^m\.json: no caption for sub\/c\.png$/);
    expect(() => resolve('{"a.png": "x", "b.jpg": " ", "sub/c.png": "z"}', 'm.json')).toThrow(/"b\.jpg" is an empty caption/);
    expect(() => resolve('{"c.png": "x", "sub/c.png": "y", "a.png": "x", "b.jpg": "y"}', 'm.json')).toThrow(/second caption for sub\/c\.png/);
  });

  it('reads CSV with quoting and an optional header', () => {
    const csv = 'file,caption\r\na.png,"a cat, sitting"\nb.jpg,"say ""hi"""\nsub/c.png,"two\nlines"\n';
    expect(resolve(csv, 'm.csv')).toEqual(['a cat, sitting', 'say "hi"', 'two\nlines']);
    expect(resolve('a.png,one\nb.jpg,two\nsub/c.png,three', 'm.csv')).toEqual(['one', 'two', 'three']);
    expect(() => resolve('a.png,one,extra\n', 'm.csv')).toThrow(/^m\.csv: row 1 has 3 fields/);
    expect(() => resolve('a.png,"open\n', 'm.csv')).toThrow(/quoted CSV field is not closed/);
  });

  it('refuses a base name that several images share', () => {
    const two = ['x/a.png', 'y/a.png'];
    expect(() => captionsForImages(parseCaptions('{"a.png": "q"}', 'm.json'), two, 'm.json')).toThrow(/several images share/);
  });
});
