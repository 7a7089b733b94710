import { createApp } from 'vue';
import { App } from './app.js';

const app = createApp(App, { serviceUrl: document.querySelector('meta[name="switchboard-url"]').content });
// <call-button> and <call-room> are custom elements, not Vue components. (With a build step, this
// option goes to the compiler instead: @vitejs/plugin-vue's template.compilerOptions.isCustomElement.)
app.config.compilerOptions.isCustomElement = (tag) => tag === 'call-button' || tag === 'call-room';
app.mount('#app');
