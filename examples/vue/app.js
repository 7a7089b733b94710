import { computed, onMounted, onUnmounted, ref } from 'vue';

/** A helpdesk in one component: clients, the selected conversation, and the phone button. */
export const App = {
  props: { serviceUrl: { type: String, required: true } },
  setup() {
    const conversations = ref([]);
    const selectedId = ref(null);
    const status = ref('');
    const selected = computed(() => conversations.value.find((c) => c.id === selectedId.value));
    const update = (conversation) => {
      conversations.value = conversations.value.map((c) => (c.id === conversation.id ? conversation : c));
    };

    // The backend pushes each change of a conversation (an invite arrived by webhook…).
    let events;
    onMounted(async () => {
      events = new EventSource('/api/events');
      events.onmessage = (e) => update(JSON.parse(e.data));
      conversations.value = await (await fetch('/api/conversations')).json();
    });
    onUnmounted(() => events?.close());

    // A fresh agent token for each call, minted by this app's backend (tokens live at most 15 minutes).
    async function getToken() {
      const res = await fetch(`/api/agent-token?conversationId=${encodeURIComponent(selectedId.value)}`);
      if (!res.ok) throw new Error(`No agent token (HTTP ${res.status})`);
      return (await res.json()).token;
    }

    async function start() {
      const res = await fetch(`/api/conversations/${encodeURIComponent(selectedId.value)}/start`, { method: 'POST' });
      if (res.ok) update(await res.json());
    }

    // The invite's text ends with the link (for plain-text channels); here the link is a button.
    const withoutLink = (m) => m.text.replace(m.link, '').replace(/[:\s]+$/, '');

    return { conversations, selectedId, selected, status, getToken, start, withoutLink };
  },
  // `.prop` sets DOM properties (a function cannot be an attribute); @call-… listen to the element's DOM events.
  template: `
    <nav aria-label="Clients">
      <button v-for="c in conversations" :key="c.id" type="button" :aria-pressed="c.id === selectedId" @click="selectedId = c.id">{{ c.clientName }}</button>
    </nav>
    <main>
      <h1>{{ selected?.clientName ?? 'Pick a client' }}</h1>
      <button v-if="selected && !selected.started" type="button" @click="start">Start conversation</button>
      <call-button
        :service-url="serviceUrl"
        :tokenProvider.prop="getToken"
        :clientSelected.prop="Boolean(selected)"
        :conversationStarted.prop="Boolean(selected?.started)"
        :agentOwns.prop="Boolean(selected?.ownedByMe)"
        @call-created="status = 'Call ' + $event.detail.call.id + ' is open: the invite goes into the conversation.'"
        @call-ended="status = 'Call ended (' + $event.detail.cause + ').'"
        @call-error="status = $event.detail.message"
      ></call-button>
      <p role="status">{{ status }}</p>
      <ol>
        <li v-for="(m, i) in selected?.messages ?? []" :key="i" :class="m.from">
          <template v-if="m.link">{{ withoutLink(m) }} <a class="join-link" :href="m.link" target="_blank" rel="noopener">Join the call</a></template>
          <template v-else>{{ m.text }}</template>
        </li>
      </ol>
    </main>`,
};
