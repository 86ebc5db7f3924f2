// Browser entry. The page is always served by the core, so the API lives on this same origin.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/api-client';
import { httpTransport } from './api/http-transport';
import { App } from './app/App';
import { desktopShell } from './app/desktop-shell';
import { stripTokenFromAddressBar } from './app/strip-token';
import './styles/app.css';

// The core already swapped ?token= for a cookie when it served this page.
stripTokenFromAddressBar();

const client = createApiClient(httpTransport(`${window.location.origin}/`));
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App client={client} shell={desktopShell()} />
  </StrictMode>,
);
