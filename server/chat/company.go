package chat

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/ccaip/headless-go/api"
)

// The demo company: the one every test, the demo and a new user talk to.
const (
	DemoCompanyID = "demo"                                 // companyId the SDK passes
	DemoTenant    = "demo"                                 // tenant == company subdomain
	DemoSecret    = "demo-company-secret-0123456789abcdef" // company secret (HS256 key of end-user JWTs and signed custom data)
	DemoAPIToken  = "demo-api-token-0123456789abcdef"      // REST API token; Basic auth user is DemoTenant
)

// Company is a company's whole configuration. DefaultCompany returns the
// demo company; LoadCompanyFile overrides it from a JSON file with the same
// field names.
type Company struct {
	ID               string               `json:"id"`
	Name             string               `json:"name"`
	Subdomain        string               `json:"subdomain"`
	SupportEmail     string               `json:"support_email"`
	Languages        []api.LanguageOption `json:"languages"`
	ActionTracking   bool                 `json:"action_tracking"`
	EmailTranscripts bool                 `json:"email_transcripts"`
	MessagePreview   bool                 `json:"message_preview"`
	EmailEnhancement bool                 `json:"email_enhancement"`
	CobrowseDomain   string               `json:"cobrowse_domain,omitempty"`

	// Secret signs end-user JWTs and signed custom data (HS256).
	Secret string `json:"secret"`
	// APIToken is the REST API password; the user is Subdomain.
	APIToken string `json:"api_token"`
	// AllowedOrigins may embed the bridge and open realtime connections.
	// "http://host:*" allows any port of host.
	AllowedOrigins []string `json:"allowed_origins"`

	Menus []Menu `json:"menus"`
	// Agents are the company's human agents, driven by the REST API and the
	// agent console.
	Agents []api.Agent `json:"agents"`

	AfterHours AfterHours                 `json:"after_hours"`
	Deflection api.ChatDeflectionResponse `json:"deflection"`
	// Lifecycle sets the dismissal and timeout limits of chats.
	Lifecycle Lifecycle `json:"lifecycle"`
	// SlotMinutes is the spacing of scheduled-call time slots.
	SlotMinutes int `json:"slot_minutes"`
	// SlotDays is how many days ahead time slots are offered.
	SlotDays            int                `json:"slot_days"`
	Survey              Survey             `json:"survey"`
	ProhibitedFileTypes []api.FileTypeItem `json:"prohibited_file_types"`
	// MaxFileSize bounds end-user file uploads and email attachments.
	MaxFileSize int64             `json:"max_file_size"`
	Triggers    []api.TriggerItem `json:"triggers"`

	// WebhookURL receives chat_created and message_received; "" disables.
	WebhookURL string `json:"webhook_url,omitempty"`
	// WebhookSecret signs webhooks; "" uses Secret.
	WebhookSecret string `json:"webhook_secret,omitempty"`
}

// Menu is one node of the menu tree with everything the platform needs
// about it; getMenus shows the api.MenuItem part.
type Menu struct {
	ID int64 `json:"id"`
	// Names maps a language to the menu's name in it.
	Names       map[string]string   `json:"names"`
	Enabled     bool                `json:"enabled"`
	Channels    []api.MenuChannel   `json:"channels"`
	Redirection *api.Redirection    `json:"redirection,omitempty"`
	Deflection  *api.MenuDeflection `json:"deflection,omitempty"`
	// DirectKeys open this menu directly: getMenus(key).
	DirectKeys []string `json:"direct_keys,omitempty"`
	// VirtualAgent, when set, answers the menu's chats first.
	VirtualAgent *api.VirtualAgent    `json:"virtual_agent,omitempty"`
	WaitTimes    api.WaitTimeResponse `json:"wait_times"`
	Children     []Menu               `json:"children,omitempty"`
}

// AfterHours is the company's opening schedule and the message shown
// outside it.
type AfterHours struct {
	// Timezone is an IANA name; "" is UTC.
	Timezone string `json:"timezone"`
	// Open lists the opening hours; empty means always open.
	Open []OpenHours `json:"open"`
	// Messages maps a language to the after-hours message.
	Messages map[string]string `json:"messages"`
}

// OpenHours opens the listed weekdays (0 = Sunday) from From to To
// ("HH:MM", To may be "24:00").
type OpenHours struct {
	Days []int  `json:"days"`
	From string `json:"from"`
	To   string `json:"to"`
}

// Survey is the post-chat survey.
type Survey struct {
	ID        int64              `json:"id"`
	SignOff   map[string]string  `json:"sign_off"`
	Questions []api.QuestionItem `json:"questions"`
}

// DefaultCompany returns a fresh copy of the demo company.
func DefaultCompany() *Company {
	va := &api.VirtualAgent{ID: 9001, Name: "Demo Bot", Status: "online"}
	return &Company{
		ID:               DemoCompanyID,
		Name:             "Demo Company",
		Subdomain:        DemoTenant,
		SupportEmail:     "support@demo.example",
		Languages:        []api.LanguageOption{{Lang: "en", Label: "English"}, {Lang: "it", Label: "Italiano"}},
		ActionTracking:   true,
		EmailTranscripts: true,
		MessagePreview:   true,
		EmailEnhancement: true,
		CobrowseDomain:   "cobrowse.demo.example",
		Secret:           DemoSecret,
		APIToken:         DemoAPIToken,
		AllowedOrigins:   []string{"http://127.0.0.1:*", "http://localhost:*"},
		Menus: []Menu{
			{
				ID: 100, Names: map[string]string{"en": "Support", "it": "Assistenza"}, Enabled: true,
				Channels: []api.MenuChannel{},
				Children: []Menu{
					{
						ID: 123, Names: map[string]string{"en": "General questions", "it": "Domande generali"}, Enabled: true,
						Channels:     []api.MenuChannel{api.ChannelChat, api.ChannelVoiceCall, api.ChannelEmail},
						DirectKeys:   []string{"direct_menu_key"},
						VirtualAgent: va,
						WaitTimes:    api.WaitTimeResponse{Chat: 60, VoiceCall: 120},
						Deflection:   &api.MenuDeflection{Enabled: true, Type: "email"},
					},
					{
						ID: 124, Names: map[string]string{"en": "Billing", "it": "Fatturazione"}, Enabled: true,
						Channels:  []api.MenuChannel{api.ChannelChat, api.ChannelEmail},
						WaitTimes: api.WaitTimeResponse{Chat: 180},
					},
				},
			},
			{
				ID: 200, Names: map[string]string{"en": "Sales", "it": "Vendite"}, Enabled: true,
				Channels: []api.MenuChannel{},
				Children: []Menu{
					{
						ID: 201, Names: map[string]string{"en": "New orders", "it": "Nuovi ordini"}, Enabled: true,
						Channels:  []api.MenuChannel{api.ChannelVoiceCall, api.ChannelChat},
						WaitTimes: api.WaitTimeResponse{Chat: 30, VoiceCall: 90},
					},
					{
						ID: 202, Names: map[string]string{"en": "Store locator", "it": "Trova negozio"}, Enabled: true,
						Channels:    []api.MenuChannel{api.ChannelExternalLink},
						Redirection: &api.Redirection{Option: "external_link", Data: "https://stores.demo.example/"},
					},
				},
			},
		},
		Agents: []api.Agent{
			{ID: 1, Name: "Alice Agent", FirstName: "Alice", Status: "available"},
			{ID: 2, Name: "Bob Agent", FirstName: "Bob", Status: "available"},
		},
		AfterHours: AfterHours{
			Messages: map[string]string{
				"en": "We are closed right now. Leave us an email and we will answer when we open.",
				"it": "Siamo chiusi in questo momento. Scrivici un'email e ti risponderemo all'apertura.",
			},
		},
		Deflection: api.ChatDeflectionResponse{
			Enabled: true, Threshold: 300, Email: true, KeepWaiting: true,
			ExternalDeflectionLinks: api.ChatDeflectionLinks{Enabled: true, IDs: []int64{202}},
		},
		SlotMinutes: 30,
		SlotDays:    2,
		Survey: Survey{
			ID:      1,
			SignOff: map[string]string{"en": "Thank you for your feedback!", "it": "Grazie per il tuo feedback!"},
			Questions: []api.QuestionItem{
				{ID: 1, Type: api.QuestionCSAT, DisplayText: "How satisfied are you?", IsCSAT: true, Position: 1,
					ValidAnswers: []api.ValidAnswer{{Key: "1", Value: "Very unsatisfied"}, {Key: "2", Value: "Unsatisfied"}, {Key: "3", Value: "Neutral"}, {Key: "4", Value: "Satisfied"}, {Key: "5", Value: "Very satisfied"}}},
				{ID: 2, Type: api.QuestionStar, DisplayText: "Rate your agent", Position: 2,
					ValidAnswers: []api.ValidAnswer{{Key: "1", Value: "1"}, {Key: "2", Value: "2"}, {Key: "3", Value: "3"}, {Key: "4", Value: "4"}, {Key: "5", Value: "5"}}},
				{ID: 3, Type: api.QuestionScale, DisplayText: "How likely are you to recommend us?", Position: 3,
					ValidAnswers: []api.ValidAnswer{{Key: "0", Value: "0"}, {Key: "10", Value: "10"}}},
				{ID: 4, Type: api.QuestionEnumeration, DisplayText: "What was your issue about?", Position: 4,
					ValidAnswers: []api.ValidAnswer{{Key: "billing", Value: "Billing"}, {Key: "orders", Value: "Orders"}, {Key: "other", Value: "Other"}}},
				{ID: 5, Type: api.QuestionFreeForm, DisplayText: "Anything else?", Position: 5},
			},
		},
		ProhibitedFileTypes: []api.FileTypeItem{
			{Extension: ".exe", Description: "Windows executable"},
			{Extension: ".bat", Description: "Batch script"},
			{Extension: ".js", Description: "JavaScript"},
			{Extension: ".sh", Description: "Shell script"},
		},
		MaxFileSize: 10 << 20,
		Triggers: []api.TriggerItem{
			{ID: "pricing-help", URLKeywords: []string{"pricing", "checkout"}, MenuID: 123, Message: "Questions about pricing? Chat with us.", Lang: "en"},
			{ID: "welcome-new", Visitor: "new", StaySeconds: 30, MenuID: 123, Message: "Welcome! Need help?", Lang: "en"},
			{ID: "returning-loyal", Visitor: "returning", MinVisits: 3, MenuID: 124, Message: "Welcome back!", Lang: "en"},
		},
	}
}

// LoadCompanyFile reads a JSON file over the demo company: fields the file
// sets replace the default's, the rest stay.
func LoadCompanyFile(path string) (*Company, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load company: %w", err)
	}
	c := DefaultCompany()
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("load company %s: %w", path, err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("load company %s: %w", path, err)
	}
	return c, nil
}

func (c *Company) Validate() error {
	switch {
	case c.ID == "":
		return fmt.Errorf("company id is empty")
	case c.Subdomain == "":
		return fmt.Errorf("company subdomain is empty")
	case len(c.Secret) < 16:
		return fmt.Errorf("company secret is shorter than 16 bytes")
	case len(c.APIToken) < 16:
		return fmt.Errorf("company API token is shorter than 16 bytes")
	case len(c.Languages) == 0:
		return fmt.Errorf("company has no language")
	}
	seen := map[int64]bool{}
	var walk func([]Menu) error
	walk = func(ms []Menu) error {
		for _, m := range ms {
			if seen[m.ID] {
				return fmt.Errorf("menu id %d appears twice", m.ID)
			}
			seen[m.ID] = true
			if err := walk(m.Children); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(c.Menus)
}

// FindMenu finds a menu by id anywhere in the tree.
func (c *Company) FindMenu(id int64) *Menu {
	var find func([]Menu) *Menu
	find = func(ms []Menu) *Menu {
		for i := range ms {
			if ms[i].ID == id {
				return &ms[i]
			}
			if m := find(ms[i].Children); m != nil {
				return m
			}
		}
		return nil
	}
	return find(c.Menus)
}

// MenuByKey finds the menu a direct-access key opens.
func (c *Company) MenuByKey(key string) *Menu {
	var find func([]Menu) *Menu
	find = func(ms []Menu) *Menu {
		for i := range ms {
			for _, k := range ms[i].DirectKeys {
				if k == key {
					return &ms[i]
				}
			}
			if m := find(ms[i].Children); m != nil {
				return m
			}
		}
		return nil
	}
	return find(c.Menus)
}

// Lang returns l if the company speaks it, the first language when l is
// empty, and ok=false otherwise.
// ChannelMenu is the menu a chat, call or email is opened on: it must
// exist, be enabled and offer channel, and lang must be supported ("" is
// the company's first language). It answers the menu and the language.
func (c *Company) ChannelMenu(id int64, channel api.MenuChannel, lang string) (*Menu, string, error) {
	m := c.FindMenu(id)
	if m == nil || !m.Enabled {
		return nil, "", api.Errorf(api.CodeNotFound, "menu %d not found", id)
	}
	if !m.Has(channel) {
		return nil, "", api.Errorf(api.CodeInvalidArgument, "menu %d has no %s channel", id, channel)
	}
	l, ok := c.Lang(lang)
	if !ok {
		return nil, "", api.Errorf(api.CodeInvalidArgument, "language %q is not supported", lang)
	}
	return m, l, nil
}

func (c *Company) Lang(l string) (string, bool) {
	if l == "" {
		return c.Languages[0].Lang, true
	}
	for _, o := range c.Languages {
		if strings.EqualFold(o.Lang, l) {
			return o.Lang, true
		}
	}
	return "", false
}

// Agent finds a human agent by id.
func (c *Company) Agent(id int64) *api.Agent {
	for i := range c.Agents {
		if c.Agents[i].ID == id {
			a := c.Agents[i]
			return &a
		}
	}
	return nil
}

// LocalName picks the name of m in lang, falling back to English, then any.
func (m *Menu) LocalName(lang string) string {
	if n, ok := m.Names[lang]; ok {
		return n
	}
	if n, ok := m.Names["en"]; ok {
		return n
	}
	for _, n := range m.Names {
		return n
	}
	return ""
}

func (m *Menu) Has(ch api.MenuChannel) bool {
	for _, c := range m.Channels {
		if c == ch {
			return true
		}
	}
	return false
}

// Item is the getMenus form of m and its children.
func (m *Menu) Item(lang string) api.MenuItem {
	it := api.MenuItem{
		ID: m.ID, Name: m.LocalName(lang), Enabled: m.Enabled,
		Redirection: m.Redirection, Deflection: m.Deflection,
		Channels: append([]api.MenuChannel{}, m.Channels...),
	}
	for i := range m.Children {
		it.Children = append(it.Children, m.Children[i].Item(lang))
	}
	return it
}
