package store

// NewEmail is an email an end user sent through a menu's email channel.
type NewEmail struct {
	Company                            string
	EndUserID, MenuID                  int64
	Lang, Name, Email, Content, Status string
	Attachments                        int
	Now                                int64 // Unix milliseconds
}

// InsertEmail records e and returns its id.
func (t *Txn) InsertEmail(e NewEmail) (int64, error) {
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO emails (company, end_user_id, menu_id, lang, name, email, content, status, attachment_count, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Company, e.EndUserID, e.MenuID, e.Lang, e.Name, e.Email, e.Content, e.Status, e.Attachments, e.Now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// SetEmailFile records where email id's .eml file was written.
func (t *Txn) SetEmailFile(id int64, path string) error {
	_, err := t.tx.ExecContext(t.ctx, `UPDATE emails SET eml_path = ? WHERE id = ?`, path, id)
	return err
}
