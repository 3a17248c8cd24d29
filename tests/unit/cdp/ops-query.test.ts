import { describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/common/http';
import { limitParam, pageQuery } from '@/lib/cdp/ops/contract';
import { journeyRunsQuery } from '@/lib/cdp/ops/journey-runs-query';
import { NO_QUERY, parseQuery } from '@/lib/cdp/ops/route';

// The ops API's `?limit=` (every paginated list, the rejections and the forward queue): a whole number in range, or
// a 400 whose one problem says what is accepted. A message given to the number alone was reported for every check,
// so `limit=-1` or `limit=0` were answered "limit must be a number".

const problemsFor = (limit: string) => {
  try {
    parseQuery(new Request(`http://shop.test/api/ops/people?limit=${limit}`), pageQuery(50, 500));
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return (error as HttpError).problems;
  }
  throw new Error(`limit=${limit} was accepted`);
};

describe('ops API limit and cursor', () => {
  it('takes a whole number from 1 to the maximum, and the default when absent', () => {
    const url = (q: string) => new Request(`http://shop.test/api/ops/people${q}`);
    expect(parseQuery(url(''), pageQuery(50, 500)).limit).toBe(50);
    expect(parseQuery(url('?limit=1'), pageQuery(50, 500)).limit).toBe(1);
    expect(parseQuery(url('?limit=500'), pageQuery(50, 500)).limit).toBe(500);
  });

  it.each(['-1', '0', '1.5', 'abc', '', '501', '1e9', '99999999999999999999', 'Infinity'])(
    'refuses limit=%s with one problem saying what it accepts',
    (limit) => {
      expect(problemsFor(limit)).toEqual([{ path: 'limit', message: 'limit must be a whole number from 1 to 500' }]);
    },
  );

  it('names each list’s own maximum', () => {
    expect(
      limitParam(100, 1000)
        .safeParse('0')
        .error?.issues.map((i) => i.message),
    ).toEqual(['limit must be a whole number from 1 to 1000']);
  });

  it('says what a cursor must be when it is empty or too long to be one', () => {
    const message = 'cursor must be the next_cursor of an earlier page, as given; leave it out for the first page';
    for (const cursor of ['', '%20', 'a'.repeat(1001)]) {
      expect(() =>
        parseQuery(new Request(`http://shop.test/api/ops/people?cursor=${cursor}`), pageQuery(50, 500)),
      ).toThrow(expect.objectContaining({ problems: [{ path: 'cursor', message }] }));
    }
  });

  it('refuses a parameter the route does not take (a typo, a cursor on a list that is not paginated), naming it', () => {
    const parse = (url: string, schema: Parameters<typeof parseQuery>[1]) => () =>
      parseQuery(new Request(`http://shop.test${url}`), schema);
    expect(parse('/api/ops/people?emial=a@b.co', pageQuery(50, 500))).toThrow(
      expect.objectContaining({ status: 400, message: 'Unknown query parameter emial: it takes cursor, limit' }),
    );
    expect(parse('/api/ops/quality?cursor=garbage', NO_QUERY)).toThrow(
      expect.objectContaining({ status: 400, message: 'Unknown query parameter cursor: it takes none' }),
    );
    expect(parse('/api/ops/people?limit=5&cursor=abc', pageQuery(50, 500))()).toEqual({ limit: 5, cursor: 'abc' });
  });

  it('journey runs: an empty filter or an unknown journey id is a 400 saying what is accepted, not an empty list', () => {
    const query = journeyRunsQuery(['cart-recovery-event', 'browse-recovery']);
    const problems = (q: string) => {
      try {
        parseQuery(new Request(`http://shop.test/api/ops/journeys/runs?${q}`), query);
        return null;
      } catch (error) {
        return (error as HttpError).problems;
      }
    };
    expect(problems('journey=browse-recovery&person=cus_1')).toBeNull();
    expect(problems('journey=%20browse-recovery%20')).toBeNull();
    const journey = 'journey must be one of cart-recovery-event, browse-recovery; leave it out for every journey';
    for (const q of ['journey=nope', 'journey=', 'journey=Browse-Recovery'])
      expect(problems(q)).toEqual([{ path: 'journey', message: journey }]);
    for (const q of ['person=', 'person=%20'])
      expect(problems(q)).toEqual([
        { path: 'person', message: 'person must be a person id or an anonymous id; leave it out for every profile' },
      ]);
  });
});
