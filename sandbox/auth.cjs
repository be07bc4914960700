'use strict';
// Access tokens: random strings bound to a user and a department, with an expiry.

const crypto = require('node:crypto');
const { HttpError } = require('./util.cjs');

const DENIED = 'Authorization has been denied for this request.';
// A token that matches nothing is a 401 (a source says so); the other denials follow
// rules.deniedStatus (kind 'denied').
const unknownToken = () => new HttpError(401, DENIED, { key: 'Message' });
const denied = () => new HttpError(401, DENIED, { key: 'Message', kind: 'denied' });

/** How many tokens the sandbox remembers: the oldest goes first (a long run that keeps asking
 * for tokens must not grow without end); a forgotten one is unknown, a 401 like an expired one. */
const MAX_TOKENS = 10000;

class TokenStore {
  constructor({ now, lifetimeSeconds }) {
    this.now = now;
    this.lifetimeSeconds = lifetimeSeconds;
    this.tokens = new Map();
  }

  issue(userId, departmentId) {
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.lifetimeSeconds * 1000;
    this.tokens.set(token, { token, userId, departmentId, issuedAt: this.now(), expiresAt });
    if (this.tokens.size > MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value);
    return { access_token: token, token_type: 'bearer', expires_in: this.lifetimeSeconds };
  }

  clear() { this.tokens.clear(); }

  /** Resolve an Authorization header to { user, department } or throw 401. */
  authenticate(header, state, { lenient = true } = {}) {
    const m = (lenient ? /^Bearer\s+(\S+)\s*$/i : /^Bearer (\S+)$/).exec(header || '');
    if (!m) throw denied();
    const rec = this.tokens.get(m[1]);
    if (!rec) throw unknownToken();
    // Kept after expiry, so that an expired token stays 'expired' (rules.deniedStatus), not unknown.
    if (this.now() >= rec.expiresAt) throw denied();
    const user = state.user(rec.userId);
    const department = state.department(rec.departmentId);
    if (!user || !department || !user.memberships.has(department.id)) throw denied();
    return { token: rec.token, user, department, departmentId: department.id, expiresAt: rec.expiresAt };
  }
}

module.exports = { TokenStore, DENIED };
