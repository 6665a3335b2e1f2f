// CSV reading and the row-numbered validation of the batch import.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv, toCsv } from '../../../src/directory/csv.ts';
import { validateRows } from '../../../src/directory/agent-import.ts';

const HEADER = ['姓名', '昵称', '工号', '邮箱', '角色', '手机号', '技能组'];
const lookup = { roles: new Map([['普通座席', 2]]), groups: new Map([['售前', 1], ['售后', 2]]) };

describe('csv', () => {
  it('reads quotes, embedded commas, quotes and line breaks, CRLF and a BOM', () => {
    const text = '\ufeffa,"b,1","c ""q""","d\r\ne"\r\n1,2,3,4\n';
    assert.deepEqual(parseCsv(text), [['a', 'b,1', 'c "q"', 'd\r\ne'], ['1', '2', '3', '4']]);
  });
  it('round-trips what it writes', () => {
    const rows = [HEADER, ['张, 三', '"x"', '1', 'a@b.c', '普通座席', '', '售前;售后']];
    assert.deepEqual(parseCsv(toCsv(rows)), rows);
  });
});

describe('validateRows', () => {
  it('accepts good rows and maps roles and groups', () => {
    const r = validateRows([HEADER, ['张三', '小张', '2001', 'A@B.cn', '普通座席', '13800138000', '售前；售后']], lookup);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.agents, [{ name: '张三', nickname: '小张', staffNo: '2001', email: 'a@b.cn', mobile: '13800138000', roleId: 2, skillGroupIds: [1, 2] }]);
  });
  it('reports every bad cell with the spreadsheet row number, and skips blank rows', () => {
    const r = validateRows(
      [HEADER, ['', '小张', '20 01', 'x', '经理', 'abc', '无'], ['', '', '', '', '', '', ''], ['李', '李', '2002', 'l@b.cn', '普通座席', '', ''], ['王', '王', '2002', 'L@b.cn', '普通座席', '', '']],
      lookup,
    );
    assert.deepEqual(
      r.errors.map((e) => `${e.row}:${e.field}`),
      ['2:name', '2:staffNo', '2:email', '2:mobile', '2:role', '2:skillGroups', '5:staffNo', '5:email'],
    );
  });
  it('refuses a file whose columns are not the template’s', () => {
    const r = validateRows([['name', 'email'], ['a', 'b']], lookup);
    assert.equal(r.errors[0]!.row, 1);
  });
  it('refuses an empty file', () => {
    assert.equal(validateRows([HEADER], lookup).errors[0]!.field, 'file');
  });
});
