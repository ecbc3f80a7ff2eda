import { Text } from "ink";
import { Component, type ReactNode } from "react";

export interface ErrorBoundaryProps {
  /** Told once when a component below throws: the monitor exits with the error. */
  onError(error: unknown): void;
  children: ReactNode;
}

interface ErrorBoundaryState {
  error: unknown;
}

/** Catches a render error below it, shows it in one line and lets the app exit cleanly. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: undefined };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error };
  }

  override componentDidCatch(error: unknown): void {
    this.props.onError(error);
  }

  override render(): ReactNode {
    if (this.state.error === undefined) return this.props.children;
    const message = this.state.error instanceof Error ? this.state.error.message : String(this.state.error);
    return <Text>{`The monitor stopped: ${message}`}</Text>;
  }
}
