package server

import (
	"github.com/ccaip/headless-go/server/agentapi"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/restapi"
)

// The company's configuration and the simulated agent's belong to the
// chat domain (server/chat); these names keep server's API as it was.
type (
	// Company is a company's whole configuration (chat.Company).
	Company = chat.Company
	// Menu is one node of the menu tree (chat.Menu).
	Menu = chat.Menu
	// AfterHours is the company's opening schedule (chat.AfterHours).
	AfterHours = chat.AfterHours
	// OpenHours is one opening window (chat.OpenHours).
	OpenHours = chat.OpenHours
	// Survey is the post-chat survey (chat.Survey).
	Survey = chat.Survey
	// Lifecycle holds a company's chat time limits (chat.Lifecycle).
	Lifecycle = chat.Lifecycle
	// AutoAgent configures the simulated human agent (chat.AutoAgent).
	AutoAgent = chat.AutoAgent
)

// The demo company: the one every test, the demo and a new user talk to.
const (
	DemoCompanyID = chat.DemoCompanyID // companyId the SDK passes
	DemoTenant    = chat.DemoTenant    // tenant == company subdomain
	DemoSecret    = chat.DemoSecret    // company secret (HS256 key of end-user JWTs and signed custom data)
	DemoAPIToken  = chat.DemoAPIToken  // REST API token; Basic auth user is DemoTenant
)

// AgentPrefix is where the agent console API lives (agentapi.Prefix).
const AgentPrefix = agentapi.Prefix

// The agent console API's answers (agentapi), under the names server
// gave them.
type (
	// AgentSession is the answer of a sign-in (agentapi.Session).
	AgentSession = agentapi.Session
	// AgentMe is the signed-in agent with their presence (agentapi.Me).
	AgentMe = agentapi.Me
	// AgentRating is an end user's rating of a chat (agentapi.Rating).
	AgentRating = agentapi.Rating
	// AgentChat is one chat as the console lists it (agentapi.Chat).
	AgentChat = agentapi.Chat
	// AgentChatLists groups the chats the console shows (agentapi.ChatLists).
	AgentChatLists = agentapi.ChatLists
	// AgentTranscript is one chat with all its messages (agentapi.Transcript).
	AgentTranscript = agentapi.Transcript
	// AgentFeedback is one rating or survey answer set (agentapi.Feedback).
	AgentFeedback = agentapi.Feedback
	// FeedEntry is one event of the agent feed (agentapi.FeedEntry).
	FeedEntry = agentapi.FeedEntry
	// FeedResponse is one long-poll answer of the agent feed (agentapi.FeedResponse).
	FeedResponse = agentapi.FeedResponse
)

// RESTPrefix is where the Chat platform REST API (002) lives
// (restapi.Prefix).
const RESTPrefix = restapi.Prefix

// DefaultCompany returns a fresh copy of the demo company.
func DefaultCompany() *Company { return chat.DefaultCompany() }

// LoadCompanyFile reads a company from a JSON file over the demo company's
// defaults (chat.LoadCompanyFile).
func LoadCompanyFile(path string) (*Company, error) { return chat.LoadCompanyFile(path) }
