import { css } from 'lit';

/** Styles of the stage of <call-room> (see room-stage.ts): it takes what the bars leave. */
export const roomStageStyles = css`
  [part~='stage'] {
    flex: 1 1 auto;
    position: relative;
    min-height: 0;
    overflow: hidden;
    display: grid;
    place-items: center;
    /* Sizes below follow the stage, not the window: it may be short (landscape) or narrow. */
    container-type: size;
  }
  figure {
    margin: 0;
  }
  [part~='tile'] {
    position: relative;
    overflow: hidden;
    background: #000;
  }
  [part~='tile'] video {
    display: block;
    width: 100%;
    height: 100%;
  }
  [part~='main-tile'] {
    /* As large as the stage allows in the video's shape (set from the video, 16:9 until known);
       the stage's size never depends on it, so a big video cannot push the controls off screen. */
    width: min(100cqw, 100cqh * var(--video-aspect, 1.7778));
    aspect-ratio: var(--video-aspect, 1.7778);
  }
  [part~='main-video'] {
    object-fit: contain;
  }
  [part~='video-label'] {
    position: absolute;
    left: 0.5rem;
    bottom: 0.5rem;
    max-width: calc(100% - 1rem);
    box-sizing: border-box;
    padding: 0.15rem 0.5rem;
    border-radius: 0.35rem;
    background: rgb(0 0 0 / 0.6);
    /* Always light on the label's own dark background, whatever --call-room-color a theme sets. */
    color: #fff;
    font-size: 0.8rem;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  [part~='thumbnails'] {
    position: absolute;
    right: 0.5rem;
    bottom: 0.5rem;
    display: flex;
    gap: 0.5rem;
  }
  [part~='thumbnail-tile'] {
    width: min(var(--call-room-thumbnail-width), 30cqw, 40cqh * 4 / 3);
    aspect-ratio: 4 / 3;
    border-radius: min(calc(var(--call-room-radius, 0.75rem) * 2 / 3), 1rem);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.5);
  }
  [part~='thumbnail-tile'] [part~='video-label'] {
    left: 0.25rem;
    bottom: 0.25rem;
    max-width: calc(100% - 0.5rem);
    font-size: 0.7rem;
  }
  [part~='thumbnail'] {
    object-fit: cover;
  }
  /* A shared screen with cameras: the cameras go beside the screen on a wide stage, below it on
     a tall one, and the screen's box shrinks to make room, so no camera hides the shared content.
     Both sizes come from the stage (container units), so they always add up to at most the stage. */
  [part~='stage'].sharing {
    --gap: 0.5rem;
    grid-template-columns: auto;
    place-content: center;
    gap: var(--gap);
  }
  .sharing [part~='thumbnails'] {
    position: static;
    grid-row: 1;
    grid-column: 2;
    flex-direction: column;
  }
  .sharing [part~='thumbnail-tile'] {
    /* Up to two stacked beside the screen. */
    width: min(var(--call-room-thumbnail-width), 22cqw, (100cqh - var(--gap)) / 2 * 4 / 3);
  }
  .sharing [part~='main-tile'] {
    grid-row: 1;
    grid-column: 1;
    width: min(100cqw - var(--gap) - min(var(--call-room-thumbnail-width), 22cqw, (100cqh - var(--gap)) / 2 * 4 / 3), 100cqh * var(--video-aspect, 1.7778));
  }
  @container (max-aspect-ratio: 4 / 3) {
    .sharing [part~='thumbnails'] {
      grid-row: 2;
      grid-column: 1;
      flex-direction: row;
      justify-self: center;
    }
    .sharing [part~='thumbnail-tile'] {
      /* Up to two side by side below the screen. */
      width: min(var(--call-room-thumbnail-width), (100cqw - var(--gap)) / 2, 22cqh * 4 / 3);
    }
    .sharing [part~='main-tile'] {
      width: min(100cqw, (100cqh - var(--gap) - min(var(--call-room-thumbnail-width), (100cqw - var(--gap)) / 2, 22cqh * 4 / 3) * 3 / 4) * var(--video-aspect, 1.7778));
    }
  }
  [part~='local-preview'] {
    transform: scaleX(-1);
  }
  [part~='placeholder'] {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.5rem;
    max-width: 100%;
    padding: 0.5rem 1rem;
    box-sizing: border-box;
    text-align: center;
  }
  [part~='avatar'] {
    display: grid;
    place-items: center;
    width: clamp(2.5rem, 35cqmin, 8rem);
    aspect-ratio: 1;
    border-radius: 50%;
    background: var(--call-room-avatar-background);
    font-size: clamp(1rem, 14cqmin, 3rem);
    font-weight: 600;
    letter-spacing: 0.02em;
  }
  [part~='name'] {
    max-width: 100%;
    font-size: 1.25rem;
    font-weight: 600;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  [part~='camera-off'] {
    opacity: 0.75;
    font-size: 0.9rem;
  }
`;
