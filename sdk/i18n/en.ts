// Every user-facing string of the SDK. Swap this module to translate.

/** English strings. */
export const en = {
  callButton: {
    label: 'Call',
    busy: 'Starting call…',
    reasons: {
      client_not_selected: 'Select a client to start a call',
      conversation_not_started: 'Start the conversation to call this client',
      not_conversation_owner: "Only the conversation's owner can start a call",
    } as Record<string, string>,
    errors: {
      unauthorized: 'Your session has expired. Reload the page and try again.',
      token_expired: 'Your session has expired. Reload the page and try again.',
      network_error: 'Could not reach the call service. Check your network and try again.',
      missing_token: 'The call button is not configured (no token).',
      token_provider_failed: 'This page could not get your call token. Reload it and try again; if it keeps failing, tell your administrator.',
      generic: 'The call could not be started. Try again.',
    } as Record<string, string>,
  },
  room: {
    title: { agent: 'Call with {name}', client: 'Call with {name}' },
    /** Used for {name} when the call record has no name. */
    unnamed: { agent: 'the client', client: 'your agent' },
    status: {
      connecting: 'Connecting…',
      waitingAgent: 'Waiting for the client…',
      waitingAgentLinkSent: 'Waiting for the client… The join link was posted in the conversation.',
      waitingClient: 'Waiting for the agent…',
      connectedAgent: 'Client connected',
      connectedClient: 'Agent connected',
      clientLeft: 'The client left the call',
      reconnecting: 'Reconnecting…',
      ending: 'Ending the call…',
      ended: 'Call ended',
      youLeft: 'You left the call. Press Rejoin to come back.',
      failed: 'The call could not continue',
    },
    remoteMicMuted: { agent: 'Agent muted their microphone', client: 'Client muted their microphone' },
    /** The other participant could not start a device; {name} is them, {device} one of `devices`. */
    remoteBlocked: {
      permission_denied: '{name} has blocked {device} access in their browser.',
      device_busy: '{name}\'s {device} is being used by another application.',
      not_found: '{name} has no {device}.',
      blocked_by_os: '{name}\'s computer is blocking {device} access.',
      other: '{name}\'s {device} could not be started.',
    } as Record<string, string>,
    devices: { microphone: 'microphone', camera: 'camera', screen: 'screen sharing' },
    controls: {
      microphone: 'Microphone',
      camera: 'Camera',
      screen: 'Share screen',
      /** The screen button while this side shares its screen. */
      screenOn: 'Stop presenting',
      endCall: 'END CALL',
      leave: 'LEAVE',
      close: 'Close',
      rejoin: 'Rejoin',
      enableSound: 'Click to hear the other participant',
      /** Agent: make the call a small panel, to work in the page meanwhile. */
      minimize: 'Minimize',
      expand: 'Expand',
    },
    /** The banner shown while this side shares its screen. */
    presenting: { banner: 'You are presenting', stop: 'Stop' },
    /** Name labels of the videos; {name} is the other participant. */
    videoLabels: { remoteScreen: "{name}'s screen", remoteCamera: '{name}', localCamera: 'You' },
    /** The stage when there is no video of the other participant. */
    stage: { cameraOff: 'Camera off' },
    errors: {
      link_incomplete: 'This link is incomplete. Open the full link you received, or ask for a new one.',
      link_invalid: 'This link is not valid',
      call_ended: 'This call has ended',
      link_expired: 'This link has expired — ask for a new one',
      call_not_found: 'This link is not valid',
      replaced: 'This call was opened somewhere else (another tab or device).',
      credentials_rejected: 'Your access to this call was refused. Ask for a new link.',
      network_error: 'Could not reach the call service. Check your network and try again.',
      media_mode_unsupported: 'This call uses a media server that this version does not support.',
      media_lost: 'The connection to the call was lost. Press Rejoin to try again.',
      unknown: 'The connection to the call was lost. Press Rejoin to try again.',
      signal_closed: 'The connection to the call was lost. Press Rejoin to try again.',
      connection_timeout: 'The connection to the call timed out. Check your network, then press Rejoin.',
      server_unreachable: 'The call’s media server cannot be reached. Check your network, then press Rejoin.',
      server_shutdown: 'The call’s media server restarted. Press Rejoin to continue.',
      media_failure: 'Audio and video stopped flowing. Press Rejoin to try again.',
      state_mismatch: 'The media server lost this session. Press Rejoin to continue.',
      join_failure: 'Could not join the call’s media. Press Rejoin to try again.',
      room_deleted: 'The call’s media room was closed. Press Rejoin to try again.',
      engine_unavailable: 'Part of the call could not be downloaded. Check your network, then press Rejoin.',
      not_allowed: 'The media server refused to let you into this call. Ask for a new link.',
      room_not_found: 'This call’s media room no longer exists.',
      duplicate_identity: 'This call was opened somewhere else (another tab or device).',
      participant_removed: 'This call was opened somewhere else (another tab or device).',
      unsupported_browser: 'This browser cannot make calls. Use an up-to-date Chrome or Edge, or open the link over https.',
      generic: 'Something went wrong with the call. Try again.',
    } as Record<string, string>,
  },
  /** The client's pre-join screen (before Join), and what the agent sees of it. */
  prejoin: {
    checkingLink: 'Checking the link…',
    /** {name}: the agent. */
    agentWaiting: '{name} is waiting for you',
    agentWaitingUnnamed: 'Your agent is waiting for you',
    intro: 'Check your camera and microphone, then join.',
    starting: 'Starting your camera and microphone…',
    preview: 'Your camera preview',
    cameraOff: 'Your camera is off',
    noCamera: 'No camera',
    audioOnly: 'This is a voice call: only your microphone is used.',
    meter: 'Microphone level',
    microphone: 'Microphone',
    camera: 'Camera',
    speaker: 'Speaker',
    defaultDevice: 'Default',
    cameraOffChoice: 'Join with camera off',
    microphoneOffChoice: 'Join with microphone muted',
    join: 'Join',
    joinWithoutDevices: 'You can still join: the other person will see and hear you once a device works.',
    /** The agent's status while the client has not joined yet. */
    agentStatus: {
      linkOpened: 'The client opened the link',
      prejoin: 'The client is checking their camera and microphone',
    },
  },
  /** Calls that end by themselves (missed, expired, agent gone, replaced) and "Send the link again"; {client} / {agent} are names. */
  callEndings: {
    missedAgent: 'Missed call — {client} did not join',
    missedClient: 'This call was missed. Ask {agent} to call you again.',
    expiredAgent: 'The join link expired before {client} joined',
    agentAway: '{agent} lost connection, waiting for them to come back…',
    agentLeft: '{agent} left the call. The conversation continues in the chat.',
    replaced: 'This call was replaced by a new one. Open the latest link in the conversation.',
    resend: 'Send the link again',
    resending: 'Sending the link…',
    resent: 'Link sent again to the conversation',
    resendFailed: 'The link could not be sent again. Try again.',
  },
  media: {
    permission_denied: {
      microphone: 'Microphone access is blocked. Allow it from the icon in the address bar, then try again.',
      camera: 'Camera access is blocked. Allow it from the icon in the address bar, then try again.',
      screen: 'Screen sharing was cancelled or blocked. Try again and pick a window or tab to share.',
      both: 'Camera and microphone access is blocked. Allow them from the icon in the address bar, then turn them on with the buttons below.',
    },
    device_busy: {
      microphone: 'Your microphone is being used by another application. Close it and try again.',
      camera: 'Your camera is being used by another application. Close it and try again.',
      screen: 'The screen could not be captured. Close other screen-recording apps and try again.',
    },
    not_found: {
      microphone: 'No microphone was found. Plug one in and try again.',
      camera: 'No camera was found. Plug one in and try again.',
      screen: 'No screen or window is available to share.',
    },
    unsupported: {
      microphone: 'This browser cannot use a microphone here. Use an up-to-date Chrome or Edge.',
      camera: 'This browser cannot use a camera here. Use an up-to-date Chrome or Edge.',
      screen: 'This browser does not support screen sharing. Chrome or Edge is recommended.',
    },
    insecure: {
      microphone: 'The microphone only works on a secure (https) page.',
      camera: 'The camera only works on a secure (https) page.',
      screen: 'Screen sharing only works on a secure (https) page.',
    },
    unknown: {
      microphone: 'The microphone could not be started. Try again.',
      camera: 'The camera could not be started. Try again.',
      screen: 'Screen sharing could not be started. Try again.',
    },
    blocked_by_os: {
      microphone: 'Your computer is blocking the browser from using the microphone.',
      camera: 'Your computer is blocking the browser from using the camera.',
      screen: 'Your computer is blocking the browser from sharing the screen.',
    },
    endedByBrowser: {
      microphone: 'Your microphone stopped (it was unplugged or its permission was revoked).',
      camera: 'Your camera stopped (it was unplugged or its permission was revoked).',
      screen: 'Screen sharing stopped.',
    },
  },
  /** In the call: device switching, call timer, connection quality, screen sharing availability. */
  inCall: {
    devices: {
      button: 'Settings',
      title: 'Devices',
      microphone: 'Microphone',
      camera: 'Camera',
      speaker: 'Speaker',
      /** A device the browser gives no name (before any permission): {n} is its number. */
      unnamed: { audioinput: 'Microphone {n}', videoinput: 'Camera {n}', audiooutput: 'Speaker {n}' } as Record<string, string>,
      none: 'None found',
      systemDefault: 'System default',
      close: 'Close',
    },
    /** Call duration in the header (not announced: read on demand). */
    timer: { label: 'Call duration' },
    quality: {
      levels: { good: 'good', fair: 'fair', poor: 'poor', unknown: 'not measured yet' } as Record<string, string>,
      /** Accessible name and tooltip of each indicator; {level} is one of `levels`, {name} the other person. */
      local: 'Your connection: {level}',
      remote: "{name}'s connection: {level}",
      poorLocal: 'Your connection is unstable: video may freeze. Try moving closer to your Wi-Fi router or turning off your camera.',
      poorRemote: "{name}'s connection is unstable: their video or voice may freeze.",
    },
    screenUnavailable: 'Screen sharing is not available in this browser (phones and tablets cannot share their screen).',
  },
  /**
   * How to fix a blocked device, by cause then by browser or operating system; {device} is
   * "camera", "microphone" or "camera and microphone", {browser} the browser's name.
   */
  permissionHelp: {
    /** {device} when the camera and the microphone are both blocked. */
    bothDevices: 'camera and microphone',
    permission_denied: {
      chrome: 'In Chrome: click the icon at the left of the address bar (or the crossed-out camera at its right), allow the {device}, then press its button again.',
      edge: 'In Edge: click the lock icon at the left of the address bar, set the {device} to Allow, then press its button again.',
      firefox: 'In Firefox: click the crossed-out {device} icon in the address bar, clear "Blocked", then press its button again (Firefox asks again).',
      safari: 'In Safari: open Safari > Settings for this website, set the {device} to Allow, then press its button again.',
      ios: 'On iPhone or iPad: open Settings > Apps > {browser}, allow the {device} (or set it to Ask), then reload this page.',
      android: 'On Android: tap the icon at the left of the address bar, then Permissions, allow the {device}, then press its button again. If it stays blocked, allow it for {browser} in Android Settings > Apps.',
      other: 'Allow the {device} for this site in your browser\'s settings, then press its button again.',
    } as Record<string, string>,
    screen_denied: {
      macos: 'On a Mac, also allow {browser} in System Settings > Privacy & Security > Screen & System Audio Recording, then restart {browser}.',
      other: 'Press Share screen again, pick a tab or a window, then press Share.',
    } as Record<string, string>,
    blocked_by_os: {
      macos: 'Open System Settings > Privacy & Security > Camera (or Microphone), turn it on for {browser}, then restart {browser}.',
      windows: 'Open Windows Settings > Privacy & security > Camera (or Microphone), turn on access for apps and for {browser}, then reload this page.',
      ios: 'Open Settings > {browser} and allow the Camera and Microphone, then reload this page.',
      android: 'Open Android Settings > Apps > {browser} > Permissions, allow the Camera and Microphone, then reload this page.',
      other: 'Allow {browser} to use the {device} in your system\'s privacy settings, then reload this page.',
    } as Record<string, string>,
    device_busy: {
      windows: 'Close the other apps that may use the {device} (Teams, Zoom, Skype, the Camera app, another browser tab), then press its button again. If nothing else uses it, check Windows Settings > Privacy & security > Camera / Microphone.',
      other: 'Close the other apps that may use the {device} (Teams, Zoom, Skype, another browser tab), then press its button again.',
    } as Record<string, string>,
    not_found: {
      other: 'Plug in a {device} (or check it is switched on and not disabled in your system settings), then press its button again.',
    } as Record<string, string>,
  },
  /** "Ask to share screen": the agent's control and status lines, the client's consent card. {name} is the other participant. */
  shareRequest: {
    ask: 'Ask to share screen',
    status: {
      pending: 'Asked {name} to share their screen…',
      declined: '{name} declined to share their screen',
      failed: '{name} could not share their screen (the browser refused or the picker was closed)',
      presenting: '{name} is presenting',
      stopped: '{name} stopped sharing',
    },
    card: {
      title: 'Share your screen?',
      text: '{name} asks you to share your screen. Share one tab or window rather than your whole screen.',
      share: 'Share',
      notNow: 'Not now',
    },
  },
  /** "Copy diagnostics": the escalation report, copied to the clipboard. */
  diagnostics: {
    copy: 'Copy diagnostics',
    copying: 'Gathering diagnostics…',
    copied: 'Diagnostics copied',
    failed: 'Copying was refused by the browser: the report is selected below, copy it with Ctrl+C (⌘C).',
    textLabel: 'Diagnostics report',
  },
} as const;

/** Replaces `{key}` placeholders. */
export function format(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
