package sdk

// The cursor moves with every delivered message. Writing the chat record
// to the Store each time costs one localStorage write per message in a
// browser (15 % of the time spent delivering a backlog). So delivery only
// marks the record dirty, and it is written at most every Config.SaveDelay,
// at once by SaveState (the browser layer calls it when the page is hidden
// or unloaded) and last thing in Close. The stored cursor can lag what
// listeners were given, never lead it: a crash loses no message; at worst
// the last SaveDelay's worth is delivered again after a reload.

// markDirtyLocked notes that the record changed and wakes the save loop.
// c.mu is held.
func (c *Client) markDirtyLocked() {
	c.dirty = true
	select {
	case c.saveC <- struct{}{}:
	default:
	}
}

// saveLoop calls save SaveDelay after each wake-up on marked (the chat
// record's and the outbox's writes behind their changes).
func (c *Client) saveLoop(marked <-chan struct{}, save func()) {
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-marked:
		}
		t := c.cfg.Clock.NewTimer(c.cfg.SaveDelay)
		select {
		case <-c.ctx.Done():
			t.Stop()
			return
		case <-t.C():
		}
		save()
	}
}

// SaveState writes the current chat and cursor, and the outbox, to the
// Store now if they changed since the last write. Call it before the
// process or page goes away without Close (the browser build does on
// pagehide).
func (c *Client) SaveState() {
	c.saveRecord()
	c.out.save()
}

// saveRecord writes the chat record now if it changed since the last write.
func (c *Client) saveRecord() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dirty {
		c.saveRecordLocked()
	}
}
