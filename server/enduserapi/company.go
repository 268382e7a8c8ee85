package enduserapi

import (
	"net/http"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

func (s *API) handleCompany(w http.ResponseWriter, r *http.Request, _ *endUser) error {
	c := s.Company
	httpapi.WriteJSON(w, http.StatusOK, api.CompanyResponse{
		Name: c.Name, Subdomain: c.Subdomain, SupportEmail: c.SupportEmail, Languages: c.Languages,
		ActionTracking: c.ActionTracking, EmailTranscripts: c.EmailTranscripts, MessagePreview: c.MessagePreview,
		EmailEnhancement: c.EmailEnhancement, CobrowseDomain: c.CobrowseDomain,
	})
	return nil
}

// queryLang reads the optional lang parameter.
func (s *API) queryLang(r *http.Request) (string, error) {
	l, ok := s.Company.Lang(r.URL.Query().Get("lang"))
	if !ok {
		return "", api.Errorf(api.CodeInvalidArgument, "language %q is not supported", r.URL.Query().Get("lang"))
	}
	return l, nil
}

func (s *API) afterHours(t time.Time) bool { return s.Chat.IsAfterHours(t) }

func (s *API) handleAfterHours(w http.ResponseWriter, r *http.Request, _ *endUser) error {
	lang, err := s.queryLang(r)
	if err != nil {
		return err
	}
	msg := s.Company.AfterHours.Messages[lang]
	if msg == "" {
		msg = s.Company.AfterHours.Messages["en"]
	}
	httpapi.WriteJSON(w, http.StatusOK, api.AfterHourMessage{Message: msg, AfterHour: s.afterHours(s.Now())})
	return nil
}

func (s *API) handleTriggers(w http.ResponseWriter, r *http.Request, _ *endUser) error {
	out := s.Company.Triggers
	if out == nil {
		out = []api.TriggerItem{}
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *API) handleFileTypes(w http.ResponseWriter, r *http.Request, _ *endUser) error {
	out := s.Company.ProhibitedFileTypes
	if out == nil {
		out = []api.FileTypeItem{}
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// handleMenus answers the whole tree, or with a matching direct-access key
// only the menu it opens (direct.key true). An unknown key falls back to
// the whole tree with direct.key false.
func (s *API) handleMenus(w http.ResponseWriter, r *http.Request, _ *endUser) error {
	lang, err := s.queryLang(r)
	if err != nil {
		return err
	}
	resp := api.MenuResponse{Menus: []api.MenuItem{}}
	if key := r.URL.Query().Get("key"); key != "" {
		if m := s.Company.MenuByKey(key); m != nil && m.Enabled {
			resp.Menus = append(resp.Menus, m.Item(lang))
			resp.Direct.Key = true
			httpapi.WriteJSON(w, http.StatusOK, resp)
			return nil
		}
	}
	for i := range s.Company.Menus {
		resp.Menus = append(resp.Menus, s.Company.Menus[i].Item(lang))
	}
	httpapi.WriteJSON(w, http.StatusOK, resp)
	return nil
}

// pathMenu resolves the {menu} path value to an enabled menu.
func (s *API) pathMenu(r *http.Request) (*chat.Menu, error) {
	id, err := httpapi.PathID(r, "menu")
	if err != nil {
		return nil, err
	}
	m := s.Company.FindMenu(id)
	if m == nil || !m.Enabled {
		return nil, api.Errorf(api.CodeNotFound, "menu %d not found", id)
	}
	return m, nil
}

func (s *API) handleWaitTimes(w http.ResponseWriter, r *http.Request, _ *endUser) error {
	if _, err := s.queryLang(r); err != nil {
		return err
	}
	m, err := s.pathMenu(r)
	if err != nil {
		return err
	}
	wt := m.WaitTimes
	if !m.Has(api.ChannelChat) {
		wt.Chat = 0
	}
	if !m.Has(api.ChannelVoiceCall) {
		wt.VoiceCall = 0
	}
	httpapi.WriteJSON(w, http.StatusOK, wt)
	return nil
}

func (s *API) handleTimeSlots(w http.ResponseWriter, r *http.Request, _ *endUser) error {
	if _, err := s.queryLang(r); err != nil {
		return err
	}
	m, err := s.pathMenu(r)
	if err != nil {
		return err
	}
	out := []string{}
	if m.Has(api.ChannelVoiceCall) {
		for _, t := range s.Chat.TimeSlots(s.Now()) {
			out = append(out, t.Format(time.RFC3339))
		}
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}
