package store

import (
	"context"
	"database/sql"
	"fmt"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// migrations are applied in order, each once, recorded in schema_migrations.
// Never edit a shipped migration: append a new one.
var migrations = []string{
	// 1: end users, sessions, chats, messages, escalations.
	`CREATE TABLE end_users (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		company TEXT NOT NULL,
		identifier TEXT NOT NULL,
		name TEXT NOT NULL DEFAULT '',
		email TEXT NOT NULL DEFAULT '',
		phone TEXT NOT NULL DEFAULT '',
		created_at INTEGER NOT NULL,
		UNIQUE (company, identifier)
	);
	CREATE TABLE sessions (
		token_hash BLOB PRIMARY KEY,
		end_user_id INTEGER NOT NULL REFERENCES end_users(id),
		expires_at INTEGER NOT NULL
	);
	CREATE TABLE chats (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		company TEXT NOT NULL,
		end_user_id INTEGER NOT NULL REFERENCES end_users(id),
		menu_id INTEGER NOT NULL,
		lang TEXT NOT NULL,
		status TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		finished_at INTEGER NOT NULL DEFAULT 0,
		last_activity_at INTEGER NOT NULL,
		agent_id INTEGER NOT NULL DEFAULT 0,
		va_id INTEGER NOT NULL DEFAULT 0,
		all_agents TEXT NOT NULL DEFAULT '',
		escalation_id INTEGER NOT NULL DEFAULT 0,
		deflection_channel TEXT NOT NULL DEFAULT '',
		last_index INTEGER NOT NULL DEFAULT 0,
		email TEXT NOT NULL DEFAULT '',
		custom_data TEXT NOT NULL DEFAULT '',
		verified_customer INTEGER NOT NULL DEFAULT 0,
		bad_actor INTEGER NOT NULL DEFAULT 0,
		repeat_customer INTEGER NOT NULL DEFAULT 0,
		post_session_required INTEGER NOT NULL DEFAULT 0,
		post_session_opt_in_required INTEGER NOT NULL DEFAULT 0,
		post_session_status TEXT NOT NULL DEFAULT '',
		rated INTEGER NOT NULL DEFAULT 0,
		survey_answered INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX chats_end_user ON chats (end_user_id, id);
	CREATE TABLE messages (
		chat_id INTEGER NOT NULL REFERENCES chats(id),
		idx INTEGER NOT NULL,
		client_id TEXT NOT NULL DEFAULT '',
		created_at INTEGER NOT NULL,
		body TEXT NOT NULL,
		PRIMARY KEY (chat_id, idx)
	);
	CREATE UNIQUE INDEX messages_client_id ON messages (chat_id, client_id) WHERE client_id <> '';
	CREATE TABLE escalations (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		chat_id INTEGER NOT NULL REFERENCES chats(id),
		status TEXT NOT NULL,
		reason TEXT NOT NULL DEFAULT '',
		deflection_channel TEXT NOT NULL DEFAULT '',
		created_at INTEGER NOT NULL
	);`,
	// 2: what end users tell about a chat: survey answers, ratings,
	// tracked events and escalation channel choices.
	`CREATE TABLE chat_feedback (
		chat_id INTEGER NOT NULL REFERENCES chats(id),
		kind TEXT NOT NULL,
		body TEXT NOT NULL,
		created_at INTEGER NOT NULL
	);
	CREATE INDEX chat_feedback_chat ON chat_feedback (chat_id, kind);`,
	// 3: calls, emails, media, cobrowse sessions and PDF transcripts.
	`CREATE TABLE calls (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		company TEXT NOT NULL,
		end_user_id INTEGER NOT NULL REFERENCES end_users(id),
		menu_id INTEGER NOT NULL,
		lang TEXT NOT NULL,
		type TEXT NOT NULL,
		status TEXT NOT NULL,
		phone TEXT NOT NULL,
		scheduled_at INTEGER NOT NULL DEFAULT 0,
		recording TEXT NOT NULL DEFAULT '',
		ticket_id TEXT NOT NULL DEFAULT '',
		email TEXT NOT NULL DEFAULT '',
		custom_data TEXT NOT NULL DEFAULT '',
		next_at INTEGER NOT NULL DEFAULT 0,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL
	);
	CREATE INDEX calls_end_user ON calls (end_user_id, id);
	CREATE INDEX calls_next ON calls (next_at) WHERE next_at > 0;
	CREATE TABLE emails (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		company TEXT NOT NULL,
		end_user_id INTEGER NOT NULL REFERENCES end_users(id),
		menu_id INTEGER NOT NULL,
		lang TEXT NOT NULL,
		name TEXT NOT NULL DEFAULT '',
		email TEXT NOT NULL,
		content TEXT NOT NULL,
		status TEXT NOT NULL,
		eml_path TEXT NOT NULL DEFAULT '',
		attachment_count INTEGER NOT NULL DEFAULT 0,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE media (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		company TEXT NOT NULL,
		key TEXT NOT NULL UNIQUE,
		kind TEXT NOT NULL,
		chat_id INTEGER NOT NULL DEFAULT 0,
		email_id INTEGER NOT NULL DEFAULT 0,
		end_user_id INTEGER NOT NULL DEFAULT 0,
		name TEXT NOT NULL DEFAULT '',
		content_type TEXT NOT NULL,
		size INTEGER NOT NULL,
		caption TEXT NOT NULL DEFAULT '',
		created_at INTEGER NOT NULL
	);
	CREATE INDEX media_chat ON media (chat_id, kind, id);
	CREATE TABLE cobrowse_sessions (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		company TEXT NOT NULL,
		end_user_id INTEGER NOT NULL REFERENCES end_users(id),
		chat_id INTEGER NOT NULL DEFAULT 0,
		code TEXT NOT NULL,
		code_expires_at INTEGER NOT NULL,
		lang TEXT NOT NULL DEFAULT '',
		custom_data TEXT NOT NULL DEFAULT '',
		status TEXT NOT NULL,
		from_ TEXT NOT NULL DEFAULT '',
		created_at INTEGER NOT NULL,
		started_at INTEGER NOT NULL DEFAULT 0,
		ended_at INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX cobrowse_code ON cobrowse_sessions (company, code);
	CREATE TABLE transcripts (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		chat_id INTEGER NOT NULL REFERENCES chats(id),
		status TEXT NOT NULL,
		failed_reason TEXT NOT NULL DEFAULT '',
		media_key TEXT NOT NULL DEFAULT '',
		created_at INTEGER NOT NULL
	);`,
	// 4: chat lifecycle and human agents: when the end user last spoke
	// (dismissal), agent console sessions.
	`ALTER TABLE chats ADD COLUMN user_activity_at INTEGER NOT NULL DEFAULT 0;
	CREATE INDEX chats_company_status ON chats (company, status);
	CREATE TABLE agent_sessions (
		token_hash BLOB PRIMARY KEY,
		company TEXT NOT NULL,
		agent_id INTEGER NOT NULL,
		expires_at INTEGER NOT NULL
	);`,
}

func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var have int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if have > len(migrations) {
		return fmt.Errorf("migrate: database is at version %d, this server knows %d", have, len(migrations))
	}
	for v := have + 1; v <= len(migrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, v); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %d: %w", v, err)
		}
	}
	return nil
}
