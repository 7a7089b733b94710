import { createRoot } from 'react-dom/client';
import { App } from './App.jsx';

const serviceUrl = document.querySelector('meta[name="switchboard-url"]').content;
createRoot(document.getElementById('root')).render(<App serviceUrl={serviceUrl} />);
