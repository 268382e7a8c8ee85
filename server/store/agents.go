package store

import "context"

// AgentSession is the agent of company whose console session token hashes
// to tokenHash, and the session's expiry (Unix milliseconds); sql.ErrNoRows
// (unwrapped) when there is none.
func AgentSession(ctx context.Context, q Querier, company string, tokenHash []byte) (agentID, expires int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT agent_id, expires_at FROM agent_sessions WHERE token_hash = ? AND company = ?`,
		tokenHash, company).Scan(&agentID, &expires)
	return agentID, expires, err
}

// InsertAgentSession records an agent console session valid until expires,
// after sweeping the sessions expired at now (Unix milliseconds).
func (t *Txn) InsertAgentSession(tokenHash []byte, company string, agentID, expires, now int64) error {
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM agent_sessions WHERE expires_at <= ?`, now); err != nil {
		return err
	}
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO agent_sessions (token_hash, company, agent_id, expires_at) VALUES (?, ?, ?, ?)`,
		tokenHash, company, agentID, expires)
	return err
}

// DeleteAgentSession ends the agent console session of tokenHash.
func (t *Txn) DeleteAgentSession(tokenHash []byte) error {
	_, err := t.tx.ExecContext(t.ctx, `DELETE FROM agent_sessions WHERE token_hash = ?`, tokenHash)
	return err
}
