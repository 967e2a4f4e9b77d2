/* GENERATED from the server's OpenAPI schema by `make codegen` — DO NOT EDIT BY HAND. */

import type * as protocol from "./protocol.gen";

export interface paths {
    "/api/catalog": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Catalog
         * @description Every name the UI and the websocket accept, with descriptions and limits.
         */
        get: operations["catalog_api_catalog_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets/csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Parse Csv Upload
         * @description Read an uploaded CSV (`x1,x2,label` or `x1,x2,y`) into points for a custom dataset.
         *
         *     The body is the file's text. Nothing about any session changes here: the page sends the
         *     points in a configure once they parsed, so a bad file leaves the current data untouched.
         */
        post: operations["parse_csv_upload_api_datasets_csv_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/approximation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approximation
         * @description See _approximation; a few experiments run at once (server/slots.py).
         */
        post: operations["approximation_api_experiments_approximation_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/double_descent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Double Descent Sweep
         * @description See _double_descent_sweep; a few experiments run at once (server/slots.py).
         */
        post: operations["double_descent_sweep_api_experiments_double_descent_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/optimizers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Optimizers
         * @description See _optimizers; a few experiments run at once (server/slots.py).
         */
        post: operations["optimizers_api_experiments_optimizers_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/suspicious": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suspicious
         * @description A test set leaked from the training set, and a loss whose (N, 1) and (N,) broadcast.
         */
        post: operations["suspicious_api_experiments_suspicious_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/experiments/xor_seeds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Xor Seeds
         * @description See _xor_seeds; a few experiments run at once (server/slots.py).
         */
        post: operations["xor_seeds_api_experiments_xor_seeds_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/expression": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Expression Plot
         * @description The expression's values and autograd derivative on [-4, 4], whether it is piecewise
         *     linear; or, for one that does not read, the position and reason (still a 200).
         */
        post: operations["expression_plot_api_expression_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Health
         * @description Liveness and what this server runs on.
         *
         *     On the event loop, not in the thread pool: it answers in milliseconds however many
         *     computations hold threads (Docker's HEALTHCHECK allows 4 s).
         */
        get: operations["health_api_health_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lessons": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lessons
         * @description Every lesson, in order: the built-in ones, then the deployment's own.
         */
        get: operations["lessons_api_lessons_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lessons/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Validate Lesson
         * @description Checks a lesson file (e.g. one made by "Save as lesson") against the schema; a lesson
         *     that does not validate is answered 422 with the field and the reason.
         */
        post: operations["validate_lesson_api_lessons_validate_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/publishing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Publishing
         * @description Whether this server publishes runs, whether it needs a token, and its limits.
         */
        get: operations["publishing_api_publishing_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pytorch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pytorch Code
         * @description Plain PyTorch code that rebuilds this setup's network, loss and optimizer.
         */
        post: operations["pytorch_code_api_pytorch_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/regions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Regions
         * @description Exact linear regions of a piecewise-linear network over a 2D box (CONTRACT §2).
         *
         *     A few at a time (server/slots.py), each in a thread.
         */
        post: operations["regions_api_regions_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/regions/explore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Explore
         * @description Depth vs width: exact region counts of random nets of each depth on the same budget.
         */
        post: operations["explore_api_regions_explore_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish Run
         * @description Stores a trained run; anyone with the answer's `#run=<id>` link can open it.
         */
        post: operations["publish_run_api_runs_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/runs/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open Run
         * @description A published run: its setup with the weights, and its loss curves.
         */
        get: operations["open_run_api_runs__run_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/weights/from-safetensors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Weights From Safetensors
         * @description Read an uploaded safetensors file: its tensors, and its settings when it has them.
         */
        post: operations["weights_from_safetensors_api_weights_from_safetensors_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/weights/safetensors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Weights To Safetensors
         * @description Pack weights (as `export` sends them) into a safetensors file, settings in its header.
         */
        post: operations["weights_to_safetensors_api_weights_safetensors_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * ApproximationRequest
         * @description POST /api/experiments/approximation: fit sin 2πx on [0, 1] with one ReLU layer of N units.
         */
        ApproximationRequest: protocol.ApproximationRequest;
        /**
         * ApproximationResponse
         * @description Best fits per width, and the time it took.
         */
        ApproximationResponse: protocol.ApproximationResponse;
        /**
         * ApproximationResult
         * @description The fits of one width N.
         */
        ApproximationResult: protocol.ApproximationResult;
        /**
         * Catalog
         * @description GET /api/catalog: every name the UI and the websocket accept, and every limit.
         */
        Catalog: protocol.Catalog;
        /**
         * CatalogEntry
         * @description One choosable thing: its wire name and a one-sentence explanation.
         */
        CatalogEntry: protocol.CatalogEntry;
        /**
         * Check
         * @description A condition that shows the learner has seen the point: on the session's frames, or on an
         *     answer of the lesson's experiment (metric `experiment`, with the answer's `field`).
         */
        "Check-Input": protocol.Check;
        /**
         * Check
         * @description A condition that shows the learner has seen the point: on the session's frames, or on an
         *     answer of the lesson's experiment (metric `experiment`, with the answer's `field`).
         */
        "Check-Output": protocol.Check;
        /**
         * ConfigureCommand
         * @description Change the setup. Network, dataset or seed changes restart training from step 0.
         */
        "ConfigureCommand-Input": protocol.ConfigureCommand;
        /**
         * ConfigureCommand
         * @description Change the setup. Network, dataset or seed changes restart training from step 0.
         */
        "ConfigureCommand-Output": protocol.ConfigureCommand;
        /**
         * CustomPoints
         * @description The user's own points: 2D coordinates inside the box and a label or value each.
         */
        "CustomPoints-Input": protocol.CustomPoints;
        /**
         * CustomPoints
         * @description The user's own points: 2D coordinates inside the box and a label or value each.
         */
        "CustomPoints-Output": protocol.CustomPoints;
        /**
         * DatasetPatch
         * @description Dataset fields to change; omitted fields keep their current value. Generated datasets
         *     take min_points … max_points and their own classes; the points and classes `settings`
         *     reports for the user's points, the digits or a regression are accepted back unchanged.
         */
        "DatasetPatch-Input": protocol.DatasetPatch;
        /**
         * DatasetPatch
         * @description Dataset fields to change; omitted fields keep their current value. Generated datasets
         *     take min_points … max_points and their own classes; the points and classes `settings`
         *     reports for the user's points, the digits or a regression are accepted back unchanged.
         */
        "DatasetPatch-Output": protocol.DatasetPatch;
        /**
         * DatasetSettings
         * @description Which dataset and how it is drawn (the points of custom data come in `dataset`).
         */
        DatasetSettings: protocol.DatasetSettings;
        /**
         * DepthCounts
         * @description Region counts for one depth.
         */
        DepthCounts: protocol.DepthCounts;
        /**
         * DoubleDescentRequest
         * @description POST /api/experiments/double_descent: one ReLU layer of p units on two moons.
         *
         *     `random_features`: the hidden layer stays random, n = 100 training points, p up to 2,000;
         *     `trained`: the hidden layer is trained by Adam for `steps` steps, n = 40, p up to 400. Either
         *     way the output layer is the minimum-norm least-squares fit.
         */
        DoubleDescentRequest: protocol.DoubleDescentRequest;
        /**
         * DoubleDescentResponse
         * @description Test error against the number of features; the peak is at p = train_points.
         */
        DoubleDescentResponse: protocol.DoubleDescentResponse;
        /**
         * ExploreRequest
         * @description POST /api/regions/explore: region counts of random nets of several depths, same budget.
         */
        ExploreRequest: protocol.ExploreRequest;
        /**
         * ExploreResponse
         * @description Counts per depth over the datasets' box, and the time it took.
         */
        ExploreResponse: protocol.ExploreResponse;
        /**
         * ExpressionPlot
         * @description The expression's values and derivative on an even grid, or its problem.
         */
        ExpressionPlot: {
            /**
             * Df
             * @description f'(x) by autograd at each grid point; null where it is not finite.
             */
            df: (number | null)[];
            /** Expression */
            expression: string;
            /**
             * F
             * @description f(x) at each grid point; null where it is not finite (log of a negative, say).
             */
            f: (number | null)[];
            /**
             * Kinks
             * @description Where its linear pieces meet, when piecewise linear.
             */
            kinks: number[];
            /**
             * Piecewise Linear
             * @description Whether the function has finitely many linear pieces (exact region counts).
             */
            piecewise_linear: boolean;
            /** @description None when the expression reads; then the fields below hold the plot. */
            problem: components["schemas"]["ExpressionProblem"] | null;
            /**
             * X
             * @description The grid: evenly spaced from -4 to 4 (empty with a problem).
             */
            x: number[];
        };
        /**
         * ExpressionProblem
         * @description Where reading the expression stopped, and why.
         */
        ExpressionProblem: {
            /**
             * Message
             * @description The reason with the position, as a configure's error says it: "… at 4".
             */
            message: string;
            /**
             * Position
             * @description 0-based index into the expression (its length when the end came too soon).
             */
            position: number;
            /**
             * Reason
             * @description E.g. "unknown name 'foo' (use x, pi, e, exp, …)".
             */
            reason: string;
        };
        /**
         * ExpressionRequest
         * @description An expression in x to read and plot.
         */
        ExpressionRequest: {
            /**
             * Expression
             * @description E.g. "x * sigmoid(1.5 * x)"; longer than max_expression_length is answered with an
             *     error at that position, far longer with a 422.
             */
            expression: string;
        };
        /**
         * FeatureCountResult
         * @description The fits with p random features.
         */
        FeatureCountResult: protocol.FeatureCountResult;
        /** HTTPValidationError */
        HTTPValidationError: {
            /** Detail */
            detail?: components["schemas"]["ValidationError"][];
        };
        /**
         * HiddenLayer
         * @description One hidden layer: Linear, [BatchNorm], [LayerNorm], activation, [Dropout].
         */
        "HiddenLayer-Input": protocol.HiddenLayer;
        /**
         * HiddenLayer
         * @description One hidden layer: Linear, [BatchNorm], [LayerNorm], activation, [Dropout].
         */
        "HiddenLayer-Output": protocol.HiddenLayer;
        /**
         * LayerWeights
         * @description One affine layer in torch's nn.Linear convention.
         */
        LayerWeights: {
            /**
             * Bias
             * @description Shape [out].
             */
            bias: number[];
            /**
             * Weight
             * @description Shape [out, in].
             */
            weight: number[][];
        };
        /**
         * Lesson
         * @description One lesson: a preset, a few sentences, a prompt, live checks and optional extras.
         */
        "Lesson-Input": protocol.Lesson;
        /**
         * Lesson
         * @description One lesson: a preset, a few sentences, a prompt, live checks and optional extras.
         */
        "Lesson-Output": protocol.Lesson;
        /**
         * LessonAction
         * @description A one-click demonstration: a websocket command to send, with a button label.
         */
        "LessonAction-Input": protocol.LessonAction;
        /**
         * LessonAction
         * @description A one-click demonstration: a websocket command to send, with a button label.
         */
        "LessonAction-Output": protocol.LessonAction;
        /**
         * LessonExperiment
         * @description An experiment a lesson offers, with the request body to send it.
         */
        "LessonExperiment-Input": protocol.LessonExperiment;
        /**
         * LessonExperiment
         * @description An experiment a lesson offers, with the request body to send it.
         */
        "LessonExperiment-Output": protocol.LessonExperiment;
        /**
         * LessonsResponse
         * @description GET /api/lessons: every lesson, in order.
         */
        LessonsResponse: protocol.LessonsResponse;
        /**
         * Limits
         * @description Every bound the server enforces, by the lower-case name of its server/limits.py constant
         *     (max_units, max_points, …); `Limits()` holds the values in force.
         */
        Limits: protocol.Limits;
        /**
         * LossCurves
         * @description The run's loss samples as columns, as the page keeps them; null where not finite.
         */
        "LossCurves-Input": protocol.LossCurves;
        /**
         * LossCurves
         * @description The run's loss samples as columns, as the page keeps them; null where not finite.
         */
        "LossCurves-Output": protocol.LossCurves;
        /**
         * LossEntry
         * @description A loss, with the facts the page needs to offer it: its head and its twin.
         */
        LossEntry: protocol.LossEntry;
        /**
         * NetworkPatch
         * @description Network fields to change; omitted fields keep their current value. The hidden list is
         *     replaced whole; `outputs` is accepted so the settings can be sent back whole: it follows
         *     the loss and the data, and a value that contradicts them is refused.
         */
        "NetworkPatch-Input": protocol.NetworkPatch;
        /**
         * NetworkPatch
         * @description Network fields to change; omitted fields keep their current value. The hidden list is
         *     replaced whole; `outputs` is accepted so the settings can be sent back whole: it follows
         *     the loss and the data, and a value that contradicts them is refused.
         */
        "NetworkPatch-Output": protocol.NetworkPatch;
        /**
         * NetworkSettings
         * @description The architecture: the input features, these hidden layers, the output layer.
         */
        "NetworkSettings-Input": protocol.NetworkSettings;
        /**
         * NetworkSettings
         * @description The architecture: the input features, these hidden layers, the output layer.
         */
        "NetworkSettings-Output": protocol.NetworkSettings;
        /**
         * OptimizerCurveResult
         * @description One optimizer's loss curve.
         */
        OptimizerCurveResult: protocol.OptimizerCurveResult;
        /**
         * OptimizerRun
         * @description One optimizer of the race and its learning rate (null: its usual default).
         */
        OptimizerRun: protocol.OptimizerRun;
        /**
         * OptimizersRequest
         * @description POST /api/experiments/optimizers: one problem, one seed, several optimizers.
         */
        OptimizersRequest: protocol.OptimizersRequest;
        /**
         * OptimizersResponse
         * @description One curve per run, in the request's order.
         */
        OptimizersResponse: protocol.OptimizersResponse;
        /**
         * OverfitCheckCommand
         * @description The checklist's first test: can a fresh copy of this model fit a handful of points?
         */
        "OverfitCheckCommand-Input": protocol.OverfitCheckCommand;
        /**
         * OverfitCheckCommand
         * @description The checklist's first test: can a fresh copy of this model fit a handful of points?
         */
        "OverfitCheckCommand-Output": protocol.OverfitCheckCommand;
        /**
         * PresetCommand
         * @description Load a hand-built network, paused at step 0 so the learner watches what it computes.
         *
         *     - `folding`: ReLU [8] × depth with 16^depth linear regions, on the current data;
         *     - `xor_two_units`: the classic XOR (`xor4`) and tanh [2] weights that classify it all;
         *     - `sine_bumps`: the sine and a sigmoid layer of 2 × bumps units: each pair of shifted
         *       sigmoids makes one bump, and the bumps add up to a staircase that follows sin 2πx.
         */
        "PresetCommand-Input": protocol.PresetCommand;
        /**
         * PresetCommand
         * @description Load a hand-built network, paused at step 0 so the learner watches what it computes.
         *
         *     - `folding`: ReLU [8] × depth with 16^depth linear regions, on the current data;
         *     - `xor_two_units`: the classic XOR (`xor4`) and tanh [2] weights that classify it all;
         *     - `sine_bumps`: the sine and a sigmoid layer of 2 × bumps units: each pair of shifted
         *       sigmoids makes one bump, and the bumps add up to a staircase that follows sin 2πx.
         */
        "PresetCommand-Output": protocol.PresetCommand;
        /**
         * PublishAnswer
         * @description The answer to POST /api/runs: the new run's id and the address hash that opens it.
         */
        PublishAnswer: protocol.PublishAnswer;
        /**
         * PublishRequest
         * @description POST /api/runs: the run to publish: its setup with the trained weights, and its curves.
         */
        PublishRequest: protocol.PublishRequest;
        /**
         * PublishedRun
         * @description GET /api/runs/{id}: a published run, exactly as it was sent.
         */
        PublishedRun: protocol.PublishedRun;
        /**
         * PublishingStatus
         * @description GET /api/publishing: whether this server publishes runs, and on what terms.
         */
        PublishingStatus: protocol.PublishingStatus;
        /**
         * PytorchCode
         * @description The code that rebuilds the network, its loss and its optimizer in plain PyTorch.
         */
        PytorchCode: protocol.PytorchCode;
        /**
         * PytorchRequest
         * @description POST /api/pytorch: the setup to write as PyTorch code.
         */
        PytorchRequest: protocol.PytorchRequest;
        /**
         * RegionsRequest
         * @description POST /api/regions: a piecewise-linear network and the 2D box to partition.
         */
        RegionsRequest: {
            /**
             * Activation
             * @description A piecewise-linear activation from the catalog (relu, leaky_relu, linear, hardtanh).
             */
            activation: string;
            /**
             * Bounds
             * @description [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax.
             */
            bounds: [
                number,
                number,
                number,
                number
            ];
            /**
             * Layers
             * @description Input (in = 2) to output; the activation follows every layer but the last.
             */
            layers: components["schemas"]["LayerWeights"][];
            /**
             * Polygons
             * @description Also return every region's vertices.
             * @default false
             */
            polygons: boolean;
        };
        /**
         * RegionsResponse
         * @description The exact linear regions of the network over the box.
         */
        RegionsResponse: {
            /**
             * Count
             * @description Connected regions on which the network is affine (neighbours with equal maps count apart).
             */
            count: number;
            /**
             * Polygons
             * @description Each region's vertices, counter-clockwise, when asked for.
             */
            polygons: [
                number,
                number
            ][][] | null;
            /**
             * Seconds
             * @description Time spent computing.
             */
            seconds: number;
        };
        /**
         * RunSettings
         * @description The complete setup in force; the same settings give the same losses.
         */
        "RunSettings-Input": protocol.RunSettings;
        /**
         * RunSettings
         * @description The complete setup in force; the same settings give the same losses.
         */
        "RunSettings-Output": protocol.RunSettings;
        /**
         * SetupFile
         * @description Everything that reproduces a session: the JSON file of Export and Import.
         */
        "SetupFile-Input": protocol.SetupFile;
        /**
         * SetupFile
         * @description Everything that reproduces a session: the JSON file of Export and Import.
         */
        "SetupFile-Output": protocol.SetupFile;
        /**
         * SuspiciousRequest
         * @description POST /api/experiments/suspicious: a leaking test set and a broadcasting loss, together.
         */
        SuspiciousRequest: protocol.SuspiciousRequest;
        /**
         * SuspiciousResponse
         * @description Both pitfalls, and the numbers a lesson's checks read.
         */
        SuspiciousResponse: protocol.SuspiciousResponse;
        /**
         * SuspiciousResult
         * @description One pitfall: the number that looked fine and the number that tells the truth.
         */
        SuspiciousResult: protocol.SuspiciousResult;
        /**
         * TensorValues
         * @description One tensor of the network's state: its shape and its values, flattened row-major.
         */
        TensorValues: protocol.TensorValues;
        /**
         * TrainingPatch
         * @description Training fields to change; omitted fields keep their current value.
         */
        "TrainingPatch-Input": protocol.TrainingPatch;
        /**
         * TrainingPatch
         * @description Training fields to change; omitted fields keep their current value.
         */
        "TrainingPatch-Output": protocol.TrainingPatch;
        /**
         * TrainingSettings
         * @description How the network is trained.
         */
        "TrainingSettings-Input": protocol.TrainingSettings;
        /**
         * TrainingSettings
         * @description How the network is trained.
         */
        "TrainingSettings-Output": protocol.TrainingSettings;
        /** ValidationError */
        ValidationError: {
            /** Context */
            ctx?: Record<string, never>;
            /** Input */
            input?: unknown;
            /** Location */
            loc: (string | number)[];
            /** Message */
            msg: string;
            /** Error Type */
            type: string;
        };
        /**
         * WeightsBody
         * @description POST /api/weights/safetensors: weights to pack, and the settings to keep beside them.
         */
        "WeightsBody-Input": protocol.WeightsBody;
        /**
         * WeightsBody
         * @description POST /api/weights/safetensors: weights to pack, and the settings to keep beside them.
         */
        "WeightsBody-Output": protocol.WeightsBody;
        /**
         * XorSeedsRequest
         * @description POST /api/experiments/xor_seeds: how often one hidden tanh layer of each width solves XOR.
         */
        XorSeedsRequest: protocol.XorSeedsRequest;
        /**
         * XorSeedsResponse
         * @description Success counts per width, and the time it took.
         */
        XorSeedsResponse: protocol.XorSeedsResponse;
        /**
         * XorWidthResult
         * @description The runs of one width.
         */
        XorWidthResult: protocol.XorWidthResult;
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    catalog_api_catalog_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Catalog"];
                };
            };
        };
    };
    parse_csv_upload_api_datasets_csv_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomPoints-Output"];
                };
            };
        };
    };
    approximation_api_experiments_approximation_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApproximationRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApproximationResponse"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    double_descent_sweep_api_experiments_double_descent_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DoubleDescentRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DoubleDescentResponse"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    optimizers_api_experiments_optimizers_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OptimizersRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OptimizersResponse"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    suspicious_api_experiments_suspicious_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SuspiciousRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SuspiciousResponse"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    xor_seeds_api_experiments_xor_seeds_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["XorSeedsRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["XorSeedsResponse"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    expression_plot_api_expression_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExpressionRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExpressionPlot"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    health_api_health_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
        };
    };
    lessons_api_lessons_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LessonsResponse"];
                };
            };
        };
    };
    validate_lesson_api_lessons_validate_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Lesson-Input"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lesson-Output"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    publishing_api_publishing_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublishingStatus"];
                };
            };
        };
    };
    pytorch_code_api_pytorch_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PytorchRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PytorchCode"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    regions_api_regions_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegionsRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegionsResponse"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    explore_api_regions_explore_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExploreRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExploreResponse"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    publish_run_api_runs_post: {
        parameters: {
            query?: never;
            header?: {
                "x-publish-token"?: string | null;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PublishRequest"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublishAnswer"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    open_run_api_runs__run_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublishedRun"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    weights_from_safetensors_api_weights_from_safetensors_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": Blob;
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WeightsBody-Output"];
                };
            };
        };
    };
    weights_to_safetensors_api_weights_safetensors_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WeightsBody-Input"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": Blob;
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
}
