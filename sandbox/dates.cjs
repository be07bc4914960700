'use strict';
// Dates as the API writes them. Glassix is a .NET service: its JSON dates are .NET DateTime values
// written as `yyyy-MM-ddTHH:mm:ss.FFFFFFFK`, that is, trailing zeros of the fraction dropped (and
// the dot with them) and `Z` only for UTC-kind values. The docs' samples show four forms, and each
// field keeps one form (see DATE_FIELDS and sandbox/README.md):
//
//   ticks    2018-11-25T14:17:57.4865353Z   7 fraction digits, UTC        (events `dateTime`)
//   millis   2023-06-15T07:04:02.558Z       milliseconds, UTC             (transaction `dateTime`)
//   seconds  2023-05-08T06:46:05Z           no fraction, UTC              (ticket `close`, contacts)
//   unzoned  2018-11-26T19:42:53.15         hundredths, NO ZONE           (ticket `lastActivity`)
//
// An unzoned date is UTC too, but `new Date('2018-11-26T19:42:53.15')` reads it as local time.
// The sandbox stores milliseconds: `ticks` adds four sub-millisecond digits derived from the value
// itself (deterministic; like real values, about one in ten ends in 0, which .NET drops, so six
// digits or fewer are written too), except to a whole second, which it writes with no fraction, as
// .NET does (a seeded `…T10:00:00Z` comes back as it went in); `seconds` and `unzoned` truncate. With
// `dateFormat: 'iso'` every date is `toISOString()` instead. "Not set" is `0001-01-01T00:00:00`.

const NOT_SET_DATE = '0001-01-01T00:00:00';
const DATE_FORMATS = ['dotnet', 'iso'];
const FORMS = ['ticks', 'millis', 'seconds', 'unzoned'];

/**
 * The form of each date field the sandbox writes, and where it comes from. `source: null` means no
 * sample shows the field: the form is the sandbox's choice (`dateFormat: 'iso'` avoids all of them).
 */
const DATE_FIELDS = Object.freeze({
  'ticket.open': { form: 'ticks', source: 'docs.glassix.com/reference/events (ticket.open "2021-03-16T14:17:31.3567578Z")' },
  'ticket.close': { form: 'seconds', source: 'docs.glassix.com/reference/ticket ("2023-05-08T07:01:56Z"; "0001-01-01T00:00:00" when open)' },
  'ticket.lastActivity': { form: 'unzoned', source: 'docs.glassix.com/reference/ticket and /reference/events ("2018-11-27T16:42:53.15")' },
  'ticket.firstCustomerMessageDateTime': { form: 'seconds', source: 'docs.glassix.com/reference/ticket ("2023-05-08T06:46:09Z")' },
  'ticket.firstAgentMessageDateTime': { form: 'seconds', source: 'docs.glassix.com/reference/ticket ("2023-05-08T07:01:55Z")' },
  'ticket.lastCustomerMessageDateTime': { form: 'seconds', source: null },
  'ticket.lastAgentMessageDateTime': { form: 'seconds', source: null },
  'ticket.firstAgentAllocationTimestamp': { form: 'ticks', source: null },
  'ticket.lastAgentAllocationTimestamp': { form: 'ticks', source: null },
  'ticket.ticketSummary.lastUpdateTimestamp': { form: 'ticks', source: null },
  'transaction.dateTime': { form: 'millis', source: 'docs.glassix.com/reference/transaction ("2023-06-15T07:04:02.558Z")' },
  'contact.creationDateTime': { form: 'seconds', source: 'docs.glassix.com/reference/contact ("2023-06-15T07:03:34Z")' },
  'contact.updateDateTime': { form: 'seconds', source: 'docs.glassix.com/reference/contact ("2023-06-15T07:09:25Z")' },
  'contact.identifiers.lastAccessed': { form: 'seconds', source: 'docs.glassix.com/reference/contact ("2023-06-15T07:09:25Z")' },
  'event.dateTime': { form: 'ticks', source: 'docs.glassix.com/reference/events ("2018-11-25T14:17:57.4865353Z")' },
  'protocolMessage.dateTime': { form: 'ticks', source: 'a recorded protocols/send reply in Darkmift/notify-volunteer-glassix-api ("2023-12-01T01:34:56.312595Z")' },
  'statusLogs.date': { form: 'unzoned', source: null },
  'statusLogs.statusLogs.dateTime': { form: 'millis', source: null },
});

const trimFraction = (digits) => {
  const t = digits.replace(/0+$/, '');
  return t ? `.${t}` : '';
};

/** Four sub-millisecond digits derived from the value (deterministic). */
function subMillisecondDigits(ms) {
  const m = (BigInt(Math.trunc(ms)) * 2654435761n) % 10000n;
  return String(Number(m < 0n ? m + 10000n : m)).padStart(4, '0');
}

/**
 * Write epoch ms as the API would for a field of the given form.
 * @param {number|null|undefined} ms  `null` → NOT_SET_DATE
 * @param {'ticks'|'millis'|'seconds'|'unzoned'} form
 * @param {'dotnet'|'iso'} [format='dotnet']
 */
function formatApiDate(ms, form, format = 'dotnet') {
  if (ms == null) return NOT_SET_DATE;
  const iso = new Date(ms).toISOString(); // yyyy-MM-ddTHH:mm:ss.sssZ
  if (format === 'iso') return iso;
  const base = iso.slice(0, 19);
  const frac = iso.slice(20, 23);
  switch (form) {
    case 'ticks': return `${base}${ms % 1000 === 0 ? '' : trimFraction(frac + subMillisecondDigits(ms))}Z`;
    case 'millis': return `${base}${trimFraction(frac)}Z`;
    case 'seconds': return `${base}Z`;
    case 'unzoned': return `${base}${trimFraction(frac.slice(0, 2))}`;
    default: throw new TypeError(`unknown date form ${form}`);
  }
}

/** A date writer for one sandbox: `dateOf('ticket.open', ms)`. */
function dateWriter(format) {
  return function dateOf(field, ms) {
    const f = DATE_FIELDS[field];
    if (!f) throw new TypeError(`no date form for ${field}`);
    return formatApiDate(ms, f.form, format);
  };
}

module.exports = { NOT_SET_DATE, DATE_FORMATS, FORMS, DATE_FIELDS, formatApiDate, dateWriter, subMillisecondDigits };
