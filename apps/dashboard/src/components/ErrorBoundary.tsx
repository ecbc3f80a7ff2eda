import { Component, type ReactNode } from "react";

interface Props {
  /** What failed, in words: "the graph", "the page". */
  what: string;
  children: ReactNode;
}

/**
 * Keeps a failure in one part (a chunk that did not load over a flaky network, a bug) from
 * blanking the whole page: that part says what went wrong and offers to try again.
 */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="error" role="alert">
        <p>
          Could not show {this.props.what}: {error.message}
        </p>
        <button type="button" onClick={() => window.location.reload()}>
          Reload the page
        </button>
      </div>
    );
  }
}
